// Routes what gRPC and protobuf log into the gateway's JSON log.
//
// Why: left to themselves they write their own text lines to stderr
// ("[libprotobuf ERROR ...] Can't parse message ...", "E1207 12:00:00 ...
// Failed accept4"), which break every log pipeline that reads the
// gateway's stderr as one JSON object per line. Their messages are also
// passed through base::RedactSecrets: a library may quote what it was
// handed.
//
// Call once at start-up, before the libraries run (their handlers are
// process-wide and not thread-safe to set).
#ifndef AWSGW_GATEWAY_OBSERVABILITY_LIBRARY_LOGS_H_
#define AWSGW_GATEWAY_OBSERVABILITY_LIBRARY_LOGS_H_

namespace awsgw::gateway::observability {

void RouteLibraryLogsToJsonLog();

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_LIBRARY_LOGS_H_
