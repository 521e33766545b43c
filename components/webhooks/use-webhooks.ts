"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";
import type { DeliveryView } from "@/lib/webhooks/deliveries";
import type { EndpointView } from "@/lib/webhooks/endpoints";

export type { DeliveryView, EndpointView };

export interface DeliveryFilters {
  endpoint_id: string;
  status: string;
  event_type: string;
}

export function useEndpoints() {
  return useQuery({
    queryKey: queryKeys.webhooks.endpoints,
    queryFn: ({ signal }) => apiFetch<{ endpoints: EndpointView[]; allow_private: boolean }>("/api/webhooks/endpoints", { signal }),
  });
}

export function useDeliveries(filters: DeliveryFilters) {
  const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""));
  return useQuery({
    queryKey: queryKeys.webhooks.deliveries(filters),
    queryFn: ({ signal }) => apiFetch<{ deliveries: DeliveryView[] }>(`/api/webhooks/deliveries?${qs}`, { signal }),
    // Deliveries change on their own (retries): keep the list fresh while the page is open.
    refetchInterval: 3_000,
  });
}

/** A mutation that refreshes endpoints and deliveries when it settles. */
export function useWebhookAction<A, R>(fn: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}

export const webhooksApi = {
  create: (body: { url: string; description: string | null; event_types: string[]; enabled: boolean }) =>
    apiFetch<{ endpoint: EndpointView; secret: string }>("/api/webhooks/endpoints", { method: "POST", body }),
  update: ({ id, body }: { id: string; body: { url: string; description: string | null; event_types: string[] } }) =>
    apiFetch<{ endpoint: EndpointView }>(`/api/webhooks/endpoints/${id}`, { method: "PATCH", body }),
  rotate: (id: string) => apiFetch<{ endpoint: EndpointView; secret: string }>(`/api/webhooks/endpoints/${id}/rotate`, { method: "POST", body: {} }),
  setEnabled: (id: string, enabled: boolean) => apiFetch<{ endpoint: EndpointView }>(`/api/webhooks/endpoints/${id}/${enabled ? "enable" : "disable"}`, { method: "POST", body: {} }),
  remove: (id: string) => apiFetch<{ deleted: true }>(`/api/webhooks/endpoints/${id}`, { method: "DELETE" }),
  test: (id: string) => apiFetch<{ event_id: string }>(`/api/webhooks/endpoints/${id}/test`, { method: "POST", body: {} }),
  resend: (deliveryId: number) => apiFetch<{ queued: number }>(`/api/webhooks/deliveries/${deliveryId}/resend`, { method: "POST", body: {} }),
  replay: (since: string, endpointId?: string) => apiFetch<{ queued: number }>("/api/webhooks/replay", { method: "POST", body: { since, endpoint_id: endpointId } }),
};
