// STS answers in XML (the query protocol). These parse the two shapes the
// credential providers need, with libxml2 (no network access, no entity
// expansion):
//
//   <AssumeRoleResponse><AssumeRoleResult><Credentials>
//     <AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/>
//   </Credentials>...</AssumeRoleResult></AssumeRoleResponse>
//
//   <ErrorResponse><Error><Type/><Code/><Message/></Error></ErrorResponse>
#ifndef AWSGW_AUTH_PROVIDERS_STS_XML_H_
#define AWSGW_AUTH_PROVIDERS_STS_XML_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "auth/credentials.h"

namespace awsgw::auth::providers {

// The Credentials element of `<action>Response/<action>Result`. UNAVAILABLE
// naming the missing element for anything else; never echoes the document.
absl::StatusOr<Credentials> ParseStsCredentials(absl::string_view xml, absl::string_view action);

struct StsError {
  std::string code;     // "AccessDenied", "ExpiredTokenException", ...
  std::string message;  // STS's own words
};

// The error of an ErrorResponse document; an empty code when the document is
// not one.
StsError ParseStsError(absl::string_view xml);

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_STS_XML_H_
