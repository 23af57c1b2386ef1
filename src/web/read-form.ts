/** Form fields and query values longer than this are refused: nobody types them. */
const MAX_FORM_BYTES = 16 * 1024;

/** A small url-encoded form (the login form, the buttons); anything else reads as empty. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const text = await request.text();
  return new URLSearchParams(text.length <= MAX_FORM_BYTES ? text : '');
}
