// The process's descriptor limit, and the connection cap it allows.
//
// Each client connection holds a descriptor, and so do the gateway's own
// connections to AWS, its files and gRPC's internals. The soft limit is
// raised to the hard one at start-up (many systems start services at 1024
// while allowing far more), and the connection cap is kept below it with
// room to spare, so that clients alone can never run the process out of
// descriptors.
#ifndef AWSGW_GATEWAY_SERVER_DESCRIPTOR_LIMIT_H_
#define AWSGW_GATEWAY_SERVER_DESCRIPTOR_LIMIT_H_

#include <cstdint>

namespace awsgw::gateway::server {

// Raises RLIMIT_NOFILE's soft limit to its hard limit where allowed.
// Returns the soft limit in force afterwards.
int64_t RaiseDescriptorLimit();

// `configured` connections, lowered to leave a quarter of `descriptors`
// (at least 128) to everything else; at least 1.
int64_t ConnectionCapFor(int64_t configured, int64_t descriptors);

}  // namespace awsgw::gateway::server

#endif  // AWSGW_GATEWAY_SERVER_DESCRIPTOR_LIMIT_H_
