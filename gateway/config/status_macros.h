// Keeps call sites flat where several Status-returning steps run in a row.
// Internal to gateway/config.
#ifndef AWSGW_GATEWAY_CONFIG_STATUS_MACROS_H_
#define AWSGW_GATEWAY_CONFIG_STATUS_MACROS_H_

#include "absl/status/status.h"

#define AWSGW_CONFIG_RETURN_IF_ERROR(expr)              \
  do {                                                  \
    if (absl::Status _status = (expr); !_status.ok()) { \
      return _status;                                   \
    }                                                   \
  } while (false)

#endif  // AWSGW_GATEWAY_CONFIG_STATUS_MACROS_H_
