/** What of an unread request body is read and dropped before the rest is cancelled. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

/**
 * Settles a request body the route did not read (a 405, a 401 from /admin/purge, a 404), before the
 * answer leaves. The body reaches the app as a stream across the hop from the default entrypoint to
 * Site (and, under wrangler dev, from its proxy); left unread, workerd goes on pumping it after the
 * answer was sent and fails ("Can't read from request stream after response has been sent"; under
 * wrangler dev the proxy turned such POSTs into 500s and reset connections). Up to DRAIN_LIMIT_BYTES
 * are read and dropped, so the connection stays usable (every route reads less: the largest, the
 * purge list, is KiBs); a larger body is cancelled, which may end the connection, as it should.
 */
export async function settleRequestBody(request: Request): Promise<void> {
  const body = request.body;
  if (body === null || request.bodyUsed || body.locked) return;
  const reader = body.getReader();
  try {
    let read = 0;
    while (read <= DRAIN_LIMIT_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The visitor went away mid-body: nothing is left to settle.
  }
}
