import { expect } from 'chai';
import { ApiError, isApiError } from './api-error.js';

describe('ApiError.from', () => {
  it('carries the problem of a problem+json response, with a one-line message', async () => {
    const body = {
      type: 'https://hfit.dev/problems/TEMPLATE_INVALID',
      title: 'Template invalid',
      status: 422,
      detail: 'Template invalid:\n  2 problems',
      code: 'TEMPLATE_INVALID',
      errors: [{ field: 'exports.a', line: 3, message: 'is required' }],
      requestId: 'r-1',
    };
    const e = await ApiError.from(new Response(JSON.stringify(body), { status: 422, headers: { 'Content-Type': 'application/problem+json' } }), 'POST /v1/builds');
    expect(e.message).to.equal('TEMPLATE_INVALID (HTTP 422): Template invalid: 2 problems');
    expect(e).to.include({ status: 422, code: 'TEMPLATE_INVALID', requestId: 'r-1', request: 'POST /v1/builds', fromProblemBody: true });
    expect(e.errors).to.deep.equal([{ field: 'exports.a', line: 3, message: 'is required' }]);
    expect(isApiError(e, 'TEMPLATE_INVALID')).to.equal(true);
    expect(isApiError(e, 'BUILD_NOT_FOUND')).to.equal(false);
  });

  it('takes the request id from the header when the body has none', async () => {
    const body = { type: 't', title: 't', status: 404, detail: 'no build', code: 'BUILD_NOT_FOUND' };
    const e = await ApiError.from(new Response(JSON.stringify(body), { status: 404, headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': 'h-2' } }), 'GET /v1/builds/x');
    expect(e.requestId).to.equal('h-2');
    expect(e.errors).to.deep.equal([]);
  });

  it('makes a problem up from the status when the body is not one', async () => {
    const e = await ApiError.from(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } }), 'GET /v1/whoami');
    expect(e).to.include({ status: 502, code: 'SERVICE_UNAVAILABLE', fromProblemBody: false });
    expect(e.message).to.equal('SERVICE_UNAVAILABLE (HTTP 502): GET /v1/whoami answered HTTP 502 Bad Gateway without a problem body (text/html): is the base URL that of an hfit API?');
    const notFound = await ApiError.from(new Response('{"error":"nope"}', { status: 404, headers: { 'Content-Type': 'application/json' } }), 'GET /v1/x');
    expect(notFound).to.include({ code: 'ROUTE_NOT_FOUND', fromProblemBody: false });
  });
});
