// Keeps call sites flat where several Status-returning steps run in a row.
//
//   AWSGW_RETURN_IF_ERROR(root.ReadString("region", &out->region));
//   AWSGW_ASSIGN_OR_RETURN(const FieldDescriptor* field, Resolve(path), Wrap);
//
// `on_error` maps the failed step's status to what the enclosing function
// returns (to add context, or to convert it); pass a lambda that returns its
// argument to pass it on unchanged.
#ifndef AWSGW_BASE_STATUS_MACROS_H_
#define AWSGW_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"

#define AWSGW_RETURN_IF_ERROR(expr)                     \
  do {                                                  \
    if (absl::Status _status = (expr); !_status.ok()) { \
      return _status;                                   \
    }                                                   \
  } while (false)

#define AWSGW_ASSIGN_OR_RETURN(lhs, expr, on_error)       \
  do {                                                    \
    auto _value = (expr);                                 \
    if (!_value.ok()) return (on_error)(_value.status()); \
    lhs = *std::move(_value);                             \
  } while (false)

#endif  // AWSGW_BASE_STATUS_MACROS_H_
