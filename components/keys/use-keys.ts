"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useToast, type ToastOptions } from "@/components/ui/toast";
import type { CreateKeyInput, UpdateKeyInput } from "@/lib/keys/key-input.schema";
import type { KeyListResponse, KeyView, RotationGrace } from "@/lib/keys/key-view.schema";
import { ApiError, apiFetch } from "@/lib/client/api-client";
import { queryKeys } from "@/lib/client/query-keys";


export function useKeys(includeRevoked: boolean) {
  return useQuery({
    queryKey: queryKeys.keys.list(includeRevoked),
    queryFn: ({ signal }) => apiFetch<KeyListResponse>(`/api/keys${includeRevoked ? "?include_revoked=1" : ""}`, { signal }),
    // Toggling "Show revoked keys" keeps the current rows on screen until the new list arrives.
    placeholderData: keepPreviousData,
    // Teammates change keys too: coming back to the page shows the cached list and refreshes it.
    staleTime: 0,
  });
}

/**
 * Callbacks run BEFORE the toast, so a dialog can close first: toasts render under an open
 * modal, and the page behind a modal is inert for assistive technology.
 */
export interface MutationCallbacks<T> {
  onSuccess?: (data: T) => void;
  onError?: (error: ApiError) => void;
}

function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError("unknown_error", err instanceof Error ? err.message : "Something went wrong.", 0);
}

function useKeyMutation<TVars, TData>(
  mutationFn: (vars: TVars) => Promise<TData>,
  messages: { success: (data: TData, vars: TVars) => ToastOptions; errorTitle: (vars: TVars) => string },
  callbacks: MutationCallbacks<TData> = {},
) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  // Deferred one tick so the dialog closed by the callback is gone before the toast appears.
  const later = (options: ToastOptions) => window.setTimeout(() => toast(options), 0);
  return useMutation({
    mutationFn,
    // Results may hold a one-time secret: do not keep them in the mutation cache.
    gcTime: 0,
    onSuccess: (data, vars) => {
      // Every key list, and the activity log, which every key mutation writes to.
      void queryClient.invalidateQueries({ queryKey: queryKeys.keys.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
      callbacks.onSuccess?.(data);
      later({ variant: "success", ...messages.success(data, vars) });
    },
    onError: (err, vars) => {
      const error = asApiError(err);
      // A conflict (e.g. revoked meanwhile) means our list is stale.
      if (error.status === 404 || error.status === 409) void queryClient.invalidateQueries({ queryKey: queryKeys.keys.all });
      callbacks.onError?.(error);
      later({ variant: "error", title: messages.errorTitle(vars), description: error.message });
    },
  });
}

export interface SecretResult {
  secret: string;
  key: KeyView;
}

export function useCreateKey(callbacks?: MutationCallbacks<SecretResult>) {
  return useKeyMutation(
    (input: CreateKeyInput) => apiFetch<SecretResult>("/api/keys", { method: "POST", body: input }),
    {
      success: (d) => ({ title: `Key “${d.key.name}” created`, description: "Copy it now: it is shown only once." }),
      errorTitle: () => "Key not created",
    },
    callbacks,
  );
}

export function useUpdateKey(callbacks?: MutationCallbacks<{ key: KeyView }>) {
  return useKeyMutation(
    ({ key, input }: { key: KeyView; input: UpdateKeyInput }) => apiFetch<{ key: KeyView }>(`/api/keys/${encodeURIComponent(key.id)}`, { method: "PATCH", body: input }),
    {
      success: (d, { key, input }) =>
        input.name !== undefined && Object.keys(input).length === 1
          ? { title: `Renamed “${key.name}” to “${d.key.name}”` }
          : { title: `Settings of “${d.key.name}” saved` },
      errorTitle: ({ key }) => `“${key.name}” was not changed`,
    },
    callbacks,
  );
}

export function useSetKeyEnabled(callbacks?: MutationCallbacks<{ key: KeyView }>) {
  return useKeyMutation(
    ({ key, enabled }: { key: KeyView; enabled: boolean }) =>
      apiFetch<{ key: KeyView }>(`/api/keys/${encodeURIComponent(key.id)}/${enabled ? "enable" : "disable"}`, { method: "POST", body: {} }),
    {
      success: (d, { enabled }) => ({
        title: `“${d.key.name}” ${enabled ? "enabled" : "disabled"}`,
        description: enabled ? "Requests with it are accepted again." : "Requests with it are refused until you enable it.",
      }),
      errorTitle: ({ key, enabled }) => `“${key.name}” was not ${enabled ? "enabled" : "disabled"}`,
    },
    callbacks,
  );
}

export interface RotateResult extends SecretResult {
  previous: KeyView;
}

export function useRotateKey(callbacks?: MutationCallbacks<RotateResult>) {
  return useKeyMutation(
    ({ key, grace }: { key: KeyView; grace: RotationGrace }) =>
      apiFetch<RotateResult>(`/api/keys/${encodeURIComponent(key.id)}/rotate`, { method: "POST", body: { grace } }),
    {
      success: (d) => ({ title: `“${d.key.name}” rotated`, description: "Copy the new key now: it is shown only once." }),
      errorTitle: ({ key }) => `“${key.name}” was not rotated`,
    },
    callbacks,
  );
}

export function useRevokeKey(callbacks?: MutationCallbacks<{ key: KeyView }>) {
  return useKeyMutation(
    ({ key }: { key: KeyView }) => apiFetch<{ key: KeyView }>(`/api/keys/${encodeURIComponent(key.id)}/revoke`, { method: "POST", body: {} }),
    {
      success: (d) => ({ title: `“${d.key.name}” revoked`, description: "Requests with it are refused from now on." }),
      errorTitle: ({ key }) => `“${key.name}” was not revoked`,
    },
    callbacks,
  );
}
