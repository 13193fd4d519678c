// CredentialsProvider: one place the gateway's own AWS credentials can come
// from (static keys, a profile, a process, STS, the container endpoint, the
// instance metadata service). CredentialsCache sits in front of a provider
// and decides when to call it; providers themselves hold no cache.
//
// Threading: CredentialsCache calls Fetch() on its own worker thread, never
// on a gRPC thread, so a provider may do short blocking work there (read a
// token file, wait for a credential_process). Network waits are not blocking:
// HTTP providers send through the asynchronous HTTP client and call `done`
// from its thread. Providers whose answer is at hand call `done` inline.
#ifndef AWSGW_AUTH_PROVIDERS_CREDENTIALS_PROVIDER_H_
#define AWSGW_AUTH_PROVIDERS_CREDENTIALS_PROVIDER_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "auth/credentials.h"
#include "base/environment.h"

namespace awsgw::auth::providers {

using CredentialsCallback = absl::AnyInvocable<void(absl::StatusOr<Credentials>)>;

using base::EnvLookup;
using base::ProcessEnvironment;

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // Fetches fresh credentials. `done` runs exactly once. Errors carry a
  // message fit for logs: it names the source and the reason, never a
  // secret.
  virtual void Fetch(CredentialsCallback done) = 0;

  // What this provider is, for logs: "environment", "profile 'dev'
  // (credential_process)", "instance metadata (IMDSv2)".
  virtual std::string Describe() const = 0;
};

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_CREDENTIALS_PROVIDER_H_
