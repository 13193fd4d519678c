// What a call carries to say who is calling, read from its gRPC context: the
// bearer token and API key metadata and the verified client certificate's
// names. Nothing here judges them (auth/identity does).
#ifndef AWSGW_GATEWAY_SERVER_PRESENTED_CREDENTIALS_H_
#define AWSGW_GATEWAY_SERVER_PRESENTED_CREDENTIALS_H_

#include "auth/identity/caller_identity.h"
#include "grpcpp/grpcpp.h"

namespace awsgw::gateway::server {

// `authorization: Bearer <token>` (the scheme in any case), `x-api-key`, and
// the client certificate the TLS layer verified, if any. An authorization
// value of another scheme counts as a malformed bearer token, so that it is
// refused rather than ignored. The certificate is read only when
// `read_certificate` (reading it costs an allocation per call).
auth::identity::PresentedCredentials PresentedBy(const grpc::ServerContextBase& context,
                                                 bool read_certificate);

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_PRESENTED_CREDENTIALS_H_
