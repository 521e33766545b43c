import { HTTP_METHODS, type HttpMethod, type OpenApiDocument, type OpenApiExample, type OpenApiOperation } from "@/lib/public-api/openapi";

type Method = "GET" | "POST" | "PATCH";

/** What the Try it box needs to build a request for one endpoint (plain data: crosses to the client). */
export interface TryItEndpoint {
  id: string;
  method: Method;
  /** With `{name}` placeholders for path parameters. */
  path: string;
  summary: string;
  input:
    | { kind: "none" }
    | { kind: "json"; initial: string }
    | { kind: "query"; initial: string }
    | { kind: "path"; name: string; initial: string };
}

export interface EndpointError {
  code: string;
  status: number;
  when: string;
}

export interface EndpointDoc {
  id: string;
  method: Method;
  path: string;
  summary: string;
  description: string;
  scope: string | null;
  metered: boolean;
  keyed: boolean;
  parameters: Array<{ name: string; in: string; required: boolean; description: string; example: string }>;
  requestExample: string | null;
  successStatus: string;
  successDescription: string;
  responseExample: string | null;
  responseExampleSummary: string | null;
  errors: EndpointError[];
  curl: string;
  tryIt: TryItEndpoint | null;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

function firstExample(examples: Record<string, OpenApiExample> | undefined): OpenApiExample | undefined {
  return examples ? Object.values(examples)[0] : undefined;
}

/** A shell-safe single-quoted string. */
const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Short bodies on one line; long ones indented, still one single-quoted shell argument. */
function curlBody(value: unknown): string {
  const compact = JSON.stringify(value);
  return compact.length > 72 ? pretty(value) : compact;
}

function curlFor(method: string, url: string, apiKey: string | null, body: string | null, headers: Array<[string, string]> = []): string {
  const lines = [`curl${method === "GET" ? "" : ` -X ${method}`} "${url}"`];
  if (apiKey !== null) lines.push(`  -H "X-API-Key: ${apiKey}"`);
  for (const [name, value] of headers) lines.push(`  -H "${name}: ${value}"`);
  if (body !== null) lines.push(`  -H "Content-Type: application/json"`, `  -d ${shellQuote(body)}`);
  return lines.join(" \\\n");
}

function describeEndpoint(path: string, method: HttpMethod, op: OpenApiOperation, baseUrl: string, apiKey: string): EndpointDoc {
  const keyed = op.security.length > 0;
  const parameters = (op.parameters ?? []).map((p) => ({
    name: p.name,
    in: p.in,
    required: p.required ?? false,
    description: p.description,
    example: String(p.example ?? ""),
  }));
  const requestValue = firstExample(op.requestBody?.content["application/json"]?.examples)?.value;
  const requestExample = requestValue === undefined ? null : pretty(requestValue);

  const [successStatus, success] = Object.entries(op.responses).find(([status]) => status.startsWith("2")) ?? ["200", undefined];
  const responseEx = firstExample(success?.content?.["application/json"]?.examples);

  const errors: EndpointError[] = Object.entries(op.responses)
    .filter(([status]) => Number(status) >= 400)
    .flatMap(([status, res]) =>
      Object.entries(res.content?.["application/json"]?.examples ?? {}).map(([code, ex]) => ({ code, status: Number(status), when: ex.summary ?? "" })),
    );

  let concretePath = path;
  const query = new URLSearchParams();
  for (const p of parameters) {
    if (p.in === "path") concretePath = concretePath.replace(`{${p.name}}`, encodeURIComponent(p.example));
    if (p.in === "query" && p.example) query.set(p.name, p.example);
  }
  const queryString = query.toString();
  const url = `${baseUrl}${concretePath}${queryString ? `?${queryString}` : ""}`;
  const upper = method.toUpperCase() as Method;

  let input: TryItEndpoint["input"] = { kind: "none" };
  if (requestExample !== null) input = { kind: "json", initial: requestExample };
  else if (parameters.some((p) => p.in === "query")) input = { kind: "query", initial: queryString };
  const pathParam = parameters.find((p) => p.in === "path");
  // The Try it box takes one input: a path parameter or a body, not both (PATCH a key, rotate).
  const tryable = !(pathParam && requestExample !== null);
  if (pathParam) input = { kind: "path", name: pathParam.name, initial: "" };
  const headerArgs = parameters.filter((p) => p.in === "header").map((p): [string, string] => [p.name, p.example]);

  return {
    id: op.operationId,
    method: upper,
    path,
    summary: op.summary,
    description: op.description,
    scope: op["x-scope"],
    metered: op["x-metered"],
    keyed,
    parameters,
    requestExample,
    successStatus,
    successDescription: success?.description ?? "",
    responseExample: responseEx ? pretty(responseEx.value) : null,
    responseExampleSummary: responseEx?.summary ?? null,
    errors,
    curl: curlFor(upper, url, keyed ? apiKey : null, requestValue === undefined ? null : curlBody(requestValue), headerArgs),
    tryIt: keyed && tryable ? { id: op.operationId, method: upper, path, summary: op.summary, input } : null,
  };
}

/** Who may call an operation: no key, any key whatever its scopes (`x-scope` null on a keyed operation), or a key with one scope. */
export type EndpointAccess = { kind: "none" } | { kind: "any" } | { kind: "scope"; scope: string };

export function accessOf(e: Pick<EndpointDoc, "keyed" | "scope">): EndpointAccess {
  if (!e.keyed) return { kind: "none" };
  return e.scope ? { kind: "scope", scope: e.scope } : { kind: "any" };
}

/** Every operation of the document, in document order, ready to render. */
export function endpointDocs(doc: OpenApiDocument, opts: { baseUrl: string; apiKey: string }): EndpointDoc[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const op = item[method];
      return op ? [describeEndpoint(path, method, op, opts.baseUrl, opts.apiKey)] : [];
    }),
  );
}
