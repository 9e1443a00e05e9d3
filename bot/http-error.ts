/** An error the error handler answers as `{error: code, message}` with `statusCode`. */
export function httpError(
  statusCode: number,
  code: string,
  message: string,
): Error & { statusCode: number; code: string } {
  return Object.assign(new Error(message), { statusCode, code });
}
