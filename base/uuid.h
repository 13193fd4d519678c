// Random UUIDs: idempotency tokens sent to AWS, and request ids made up for
// callers that sent none.
#ifndef AWSGW_BASE_UUID_H_
#define AWSGW_BASE_UUID_H_

#include <string>

namespace awsgw::base {

// A random UUID version 4, lowercase ("3b241101-e2bb-4255-8caf-4136c566a962").
std::string RandomUuid();

}  // namespace awsgw::base

#endif  // AWSGW_BASE_UUID_H_
