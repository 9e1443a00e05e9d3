/**
 * PayFast's server confirmation: the ITN's parameter string (without `signature`) posted back to
 * {PAYFAST_URL}/eng/query/validate; PayFast answers `VALID` or `INVALID` in plain text. Throws when PayFast
 * cannot be reached or answers an error status, which is not a verdict on the ITN.
 */
export async function validatePayfastItn(
  payfastUrl: string,
  parameterString: string,
  timeoutMs = 10_000,
): Promise<boolean> {
  const response = await fetch(`${payfastUrl.replace(/\/$/, '')}/eng/query/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: parameterString,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = (await response.text()).trim();
  if (!response.ok) throw new Error(`PayFast validate answered ${response.status}`);
  return text === 'VALID';
}
