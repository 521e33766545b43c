import { Badge } from "@/components/ui/badge";

export function MethodBadge({ method }: { method: string }) {
  return (
    <Badge tone={method === "GET" ? "info" : method === "PATCH" ? "warning" : "success"} className="font-mono">
      {method}
    </Badge>
  );
}
