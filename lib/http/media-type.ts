/** Whether a Content-Type header names JSON. */
export function isJsonContentType(header: string | null): boolean {
  return (header ?? "").toLowerCase().startsWith("application/json");
}
