import { Badge } from "@/components/ui/badge";

export function MethodBadge({ method }: { method: string }) {
  return (
    <Badge tone={method === "GET" ? "info" : "success"} className="font-mono">
      {method}
    </Badge>
  );
}
