// The fulfilment of a request (export, erasure task, rectification, prevention, refusal).
export async function FulfilPanel({ requestId }: { requestId: number }) {
  void requestId;
  return null;
}
