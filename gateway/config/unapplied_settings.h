// Settings the file accepts and validates but the gateway does not act on
// yet, so that start-up can say so instead of silently ignoring them.
//
// Each entry goes away when the feature behind it lands (credential provider
// chain, adaptive retries, log levels, metrics endpoint).
#ifndef AWSGW_GATEWAY_CONFIG_UNAPPLIED_SETTINGS_H_
#define AWSGW_GATEWAY_CONFIG_UNAPPLIED_SETTINGS_H_

#include <string>
#include <vector>

#include "gateway/config/gateway_config.h"

namespace awsgw::config {

// One "<key>: <what happens instead>" line per setting present in `config`
// that is not applied yet; empty when everything set takes effect.
std::vector<std::string> UnappliedSettings(const GatewayConfig& config);

}  // namespace awsgw::config

#endif  // AWSGW_GATEWAY_CONFIG_UNAPPLIED_SETTINGS_H_
