import type { Metadata } from "next";
import { Suspense } from "react";
import { KeyDetail } from "@/components/usage/key-detail";
import { LoadingState } from "@/components/ui/states";

export const metadata: Metadata = { title: "API key usage" };

/**
 * One key: its daily calls and its call history. The client component reads the range and the
 * history filters from the URL (useSearchParams), so it sits in a Suspense boundary.
 */
export default async function KeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  return (
    <Suspense fallback={<LoadingState label="Loading the key" />}>
      <KeyDetail keyId={keyId} />
    </Suspense>
  );
}
