// Conversion between the shared HTTP model (http/http_message.h) and the
// Boost.Beast messages that go on the wire.
//
// Why here: the model holds wire form already, so this layer adds only what
// HTTP/1.1 framing needs (Host when missing, Content-Length for bodies) and
// refuses anything that would break framing or smuggle a header (CR/LF in a
// header, a caller-chosen Transfer-Encoding, a wrong Content-Length). Every
// other header goes out exactly as given, in order, since it was signed.
#ifndef AWSGW_HTTP_CLIENT_WIRE_REQUEST_H_
#define AWSGW_HTTP_CLIENT_WIRE_REQUEST_H_

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "absl/status/statusor.h"
#include "http/client/endpoint.h"
#include "http/http_message.h"

namespace awsgw::http::client {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;

// The HTTP/1.1 request for `request` sent to `endpoint`: target
// `endpoint.RequestPath(path)` plus `?FormatQueryString(query)` when there is
// a query; the headers in order, with `Host: endpoint.HostHeader()` first
// when the request has no Host; `Content-Length` appended when the body is
// not empty or the method is POST, PUT or PATCH, unless already present.
// Returns INVALID_ARGUMENT (naming the header, never its value) when the
// method is not an HTTP token, the path does not start with '/', the target
// holds a control character, space, DEL or '#', a header name is not a token
// or a value holds CR, LF or NUL, a header is longer than 64000 bytes, a
// Transfer-Encoding header is present, or a Content-Length header disagrees
// with the body size.
absl::StatusOr<WireRequest> ToWireRequest(const Endpoint& endpoint, http::HttpRequest request);

// The model of a received response: status, headers in order, body.
http::HttpResponse FromWireResponse(WireResponse&& response);

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_WIRE_REQUEST_H_
