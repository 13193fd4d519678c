#include "auth/identity/key_source.h"

namespace awsgw::auth::identity {

KeySource::~KeySource() = default;

}  // namespace awsgw::auth::identity
