// The signer and verifier work on the shared HTTP message model of http/
// (one model for translators, signer, client and emulator); these are its
// names as the auth module uses them.
#ifndef AWSGW_AUTH_HTTP_REQUEST_H_
#define AWSGW_AUTH_HTTP_REQUEST_H_

#include "http/http_message.h"

namespace awsgw::auth {

using http::CountHeaders;
using http::CountQueryParams;
using http::FindHeader;
using http::FindQueryParam;
using http::FormatQueryString;
using http::HttpHeader;
using http::HttpHeaders;
using http::HttpRequest;
using http::ParseQueryString;
using http::QueryParam;
using http::QueryParams;
using http::RemoveHeaders;
using http::RemoveQueryParams;
using http::RequestTarget;
using http::SetHeader;
using http::SetRequestTarget;

}  // namespace awsgw::auth

#endif  // AWSGW_AUTH_HTTP_REQUEST_H_
