/** Request header the proxy (proxy.ts) sets to the page's path and query, for sign-in's `next`. */
export const REQUEST_PATH_HEADER = "x-llavero-path";
