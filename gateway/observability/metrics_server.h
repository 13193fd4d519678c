// MetricsServer: serves the registry's text at GET /metrics over plain
// HTTP/1.1 (Prometheus scrapes), on its own thread, asynchronously (Beast).
// One request per connection; anything but GET /metrics is a 404 or 405.
#ifndef AWSGW_GATEWAY_OBSERVABILITY_METRICS_SERVER_H_
#define AWSGW_GATEWAY_OBSERVABILITY_METRICS_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"

namespace awsgw::gateway::observability {

class MetricsServer {
 public:
  // Listens on `address` ("host:port"; port 0 picks one). `render` produces
  // the body; it runs on the server's thread.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& address,
                                                              std::function<std::string()> render);
  ~MetricsServer();

  int port() const { return port_; }

 private:
  MetricsServer(std::function<std::string()> render) : render_(std::move(render)) {}
  void Accept();

  std::function<std::string()> render_;
  boost::asio::io_context io_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace awsgw::gateway::observability

#endif  // AWSGW_GATEWAY_OBSERVABILITY_METRICS_SERVER_H_
