"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import type { TryItEndpoint } from "./endpoint-docs";
import { MethodBadge } from "./method-badge";

/** The response headers worth showing, in this order; others are left out. */
const SHOWN_HEADERS = [
  "X-Request-Id",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
  "X-Quota-Limit",
  "X-Quota-Remaining",
  "Retry-After",
  "Allow",
] as const;

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  202: "Accepted",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

interface TryItRequest {
  method: "GET" | "POST" | "PATCH";
  url: string;
  apiKey: string;
  body: string | null;
}

interface TryItResult {
  status: number;
  statusText: string;
  ms: number;
  headers: Array<[string, string]>;
  body: string;
  json: unknown;
}

function statusTone(status: number): BadgeTone {
  if (status < 300) return "success";
  if (status === 429 || status < 500) return "warning";
  return "danger";
}

async function send(req: TryItRequest, signal: AbortSignal): Promise<TryItResult> {
  const headers: Record<string, string> = { accept: "application/json" };
  // The key goes only into this request's header: no cookie, no storage, no other destination.
  if (req.apiKey.trim() !== "") headers["x-api-key"] = req.apiKey.trim();
  if (req.body !== null) headers["content-type"] = "application/json";
  const started = performance.now();
  const res = await fetch(req.url, { method: req.method, headers, body: req.body, credentials: "omit", cache: "no-store", signal });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    statusText: res.statusText || STATUS_TEXT[res.status] || "",
    ms: Math.round(performance.now() - started),
    headers: SHOWN_HEADERS.flatMap((name) => {
      const value = res.headers.get(name);
      return value === null ? [] : [[name, value] as [string, string]];
    }),
    body: json === undefined ? text.slice(0, 4000) : JSON.stringify(json, null, 2),
    json,
  };
}

function initialInput(e: TryItEndpoint | undefined): string {
  return e && e.input.kind !== "none" ? e.input.initial : "";
}

/**
 * Sends a real request to the public API from this browser. The key lives only in this
 * component's state: it is never stored or sent anywhere but the request, and it is cleared
 * when the page is left (unmount, or pagehide for the back-forward cache). `notHere` names
 * ("METHOD /path") the keyed endpoints it cannot send, so the box says what it leaves out.
 */
export function TryIt({ endpoints, notHere = [] }: { endpoints: TryItEndpoint[]; notHere?: string[] }) {
  const [endpointId, setEndpointId] = useState(endpoints[0]?.id ?? "");
  const endpoint = endpoints.find((e) => e.id === endpointId) ?? endpoints[0];
  const [apiKey, setApiKey] = useState("");
  const [inputs, setInputs] = useState<Record<string, string>>(() => Object.fromEntries(endpoints.map((e) => [e.id, initialInput(e)])));
  const [inputError, setInputError] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);

  const mutation = useMutation({
    mutationFn: (req: TryItRequest) => {
      abortRef.current?.abort();
      const controller = new AbortController();
      abortRef.current = controller;
      return send(req, controller.signal);
    },
  });
  const { reset } = mutation;

  useEffect(() => {
    const clear = () => setApiKey("");
    window.addEventListener("pagehide", clear);
    return () => {
      window.removeEventListener("pagehide", clear);
      abortRef.current?.abort();
    };
  }, []);

  if (!endpoint) return null;
  const input = inputs[endpoint.id] ?? "";
  const setInput = (value: string) => {
    setInputs((current) => ({ ...current, [endpoint.id]: value }));
    setInputError(null);
  };

  function onSend() {
    if (!endpoint) return;
    let url = endpoint.path;
    let body: string | null = null;
    const kind = endpoint.input.kind;
    if (kind === "json") {
      try {
        JSON.parse(input);
      } catch (err) {
        setInputError(`This is not valid JSON: ${(err as Error).message}`);
        return;
      }
      body = input;
    } else if (kind === "query") {
      const q = input.trim().replace(/^\?/, "");
      url = q ? `${url}?${q}` : url;
    } else if (endpoint.input.kind === "path") {
      const value = input.trim();
      if (!value) {
        setInputError(
          endpoint.input.name === "audit_id" ? "Enter an audit id, e.g. the audit_id POST /api/public/audit returned." : "Enter a key id, e.g. an id GET /api/public/keys listed.",
        );
        return;
      }
      url = url.replace(`{${endpoint.input.name}}`, encodeURIComponent(value));
    }
    mutation.mutate({ method: endpoint.method, url, apiKey, body });
  }

  const result = mutation.data;
  // An accepted audit's id goes straight into the status endpoint's field.
  const acceptedId =
    endpoint.id === "startAudit" && result?.status === 202 && typeof (result.json as { audit_id?: unknown })?.audit_id === "string"
      ? (result.json as { audit_id: string }).audit_id
      : null;
  const statusEndpoint = endpoints.find((e) => e.id === "getAudit");

  return (
    <div className="space-y-5">
      <div className="grid gap-4 md:grid-cols-2">
        <SelectField
          label="Endpoint"
          name="endpoint"
          value={endpoint.id}
          options={endpoints.map((e) => ({ value: e.id, label: `${e.method} ${e.path} — ${e.summary}` }))}
          onChange={(event) => {
            setEndpointId(event.target.value);
            setInputError(null);
            abortRef.current?.abort();
            reset();
          }}
        />
        <TextField
          label="API key"
          name="try-it-api-key"
          type="password"
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          placeholder="sk_live_…"
          hint="Used only for this request from your browser; never stored. Cleared when you leave the page."
          autoComplete="off"
          spellCheck={false}
          data-1p-ignore=""
          data-lpignore="true"
          controlClassName="font-mono"
        />
      </div>

      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="try-it-coverage">
        This box sends {endpoints.length} of the {endpoints.length + notHere.length} keyed endpoints: one input each (a body, a query or an id).
        {notHere.length > 0 ? (
          <>
            {" "}
            Not here, as they take an id and a body together:{" "}
            {notHere.map((op, i) => (
              <span key={op}>
                {i > 0 ? ", " : ""}
                <code className="font-mono text-xs">{op}</code>
              </span>
            ))}
            ; use the curl examples on their reference pages.
          </>
        ) : null}
      </p>

      <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
        <MethodBadge method={endpoint.method} />
        <code className="font-mono break-all">{endpoint.path}</code>
      </p>

      {endpoint.input.kind === "json" ? (
        <TextAreaField
          label="Request body (JSON)"
          name="try-it-body"
          rows={Math.min(16, Math.max(4, input.split("\n").length + 1))}
          value={input}
          onChange={(event) => setInput(event.target.value)}
          error={inputError}
          spellCheck={false}
          controlClassName="font-mono text-xs"
        />
      ) : endpoint.input.kind === "query" ? (
        <TextAreaField
          label="Query string"
          name="try-it-query"
          rows={2}
          value={input}
          onChange={(event) => setInput(event.target.value)}
          hint="business_id is required; lang (es, en) and currency are optional."
          error={inputError}
          spellCheck={false}
          controlClassName="font-mono text-xs"
        />
      ) : endpoint.input.kind === "path" ? (
        <TextField
          label={endpoint.input.name === "audit_id" ? "Audit id" : "Key id"}
          name={endpoint.input.name === "audit_id" ? "try-it-audit-id" : "try-it-key-id"}
          value={input}
          onChange={(event) => setInput(event.target.value)}
          hint={endpoint.input.name === "audit_id" ? "The audit_id that POST /api/public/audit answered." : "A key's id, as GET /api/public/keys lists it."}
          error={inputError}
          spellCheck={false}
          controlClassName="font-mono"
        />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">This endpoint takes no body or query.</p>
      )}

      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={onSend} loading={mutation.isPending}>
          {mutation.isPending ? "Sending…" : "Send"}
        </Button>
        {apiKey === "" ? <span className="text-sm text-zinc-500 dark:text-zinc-400">Without a key the API answers 401 missing_api_key.</span> : null}
      </div>

      <p role="status" className="sr-only">
        {mutation.isPending ? "Sending the request…" : result ? `Response: ${result.status} ${result.statusText}` : ""}
      </p>
      <div className="space-y-3">
        {mutation.isError && !(mutation.error instanceof DOMException && mutation.error.name === "AbortError") ? (
          <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/30 dark:text-red-300">
            The request did not complete: {mutation.error.message}. Check your connection and try again.
          </div>
        ) : null}
        {result ? (
          <section aria-label="Response" className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <h3 className="flex flex-wrap items-center gap-2 text-sm font-semibold text-zinc-900 dark:text-zinc-100">
              Response
              <Badge tone={statusTone(result.status)} data-testid="try-it-status">
                {result.status} {result.statusText}
              </Badge>
              <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">{result.ms} ms</span>
            </h3>
            {result.headers.length > 0 ? (
              <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 font-mono text-xs" aria-label="Response headers">
                {result.headers.map(([name, value]) => (
                  <div key={name} className="contents">
                    <dt className="text-zinc-500 dark:text-zinc-400">{name}</dt>
                    <dd className="break-all text-zinc-900 dark:text-zinc-100">{value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
            <pre
              tabIndex={0}
              role="region"
              aria-label="Response body"
              className="max-h-96 overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-xs leading-relaxed break-words whitespace-pre-wrap text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
            >
              <code>{result.body || "(empty body)"}</code>
            </pre>
            {acceptedId && statusEndpoint ? (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setInputs((current) => ({ ...current, [statusEndpoint.id]: acceptedId }));
                  setEndpointId(statusEndpoint.id);
                  reset();
                }}
              >
                Check this audit&apos;s status
              </Button>
            ) : null}
          </section>
        ) : null}
      </div>
    </div>
  );
}
