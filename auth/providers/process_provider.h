// ProcessProvider: a profile's `credential_process`, run through /bin/sh -c
// as the AWS CLI and SDKs do; its standard output is the credentials JSON
// (Version 1). Its standard error is captured (the last 4 KiB): when the
// process fails, the error names its last line, redacted and cut to 200
// bytes; it never reaches the gateway's log raw (it may print what it
// fetched, and it is not JSON).
//
// Fetch() waits for the process: it runs where CredentialsCache calls
// providers, on the cache's own worker thread. A process that outlives
// `timeout` is killed and the fetch fails. Output beyond 64 KiB is
// an error. Neither the command's output nor its environment is logged.
#ifndef AWSGW_AUTH_PROVIDERS_PROCESS_PROVIDER_H_
#define AWSGW_AUTH_PROVIDERS_PROCESS_PROVIDER_H_

#include <string>

#include "absl/time/time.h"
#include "auth/providers/credentials_provider.h"

namespace awsgw::auth::providers {

class ProcessProvider : public CredentialsProvider {
 public:
  ProcessProvider(std::string command, std::string profile,
                  absl::Duration timeout = absl::Minutes(1));

  void Fetch(CredentialsCallback done) override;
  std::string Describe() const override;

 private:
  absl::StatusOr<Credentials> Run() const;

  const std::string command_;
  const std::string profile_;
  const absl::Duration timeout_;
};

}  // namespace awsgw::auth::providers

#endif  // AWSGW_AUTH_PROVIDERS_PROCESS_PROVIDER_H_
