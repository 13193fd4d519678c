// IdleSweeper: a periodic timer that closes pooled connections idle past the
// idle timeout (or closed by the server), so idle sockets do not linger until
// the next call to the same endpoint.
//
// Lifetime: shared_from_this on its own strand; holds the ClientState weakly,
// so a tick after the client is gone does nothing.
#ifndef AWSGW_HTTP_CLIENT_IDLE_SWEEPER_H_
#define AWSGW_HTTP_CLIENT_IDLE_SWEEPER_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "absl/time/time.h"

namespace awsgw::http::client {

class ClientState;

class IdleSweeper : public std::enable_shared_from_this<IdleSweeper> {
 public:
  IdleSweeper(boost::asio::io_context& io, std::weak_ptr<ClientState> state,
              absl::Duration interval);

  // Starts ticking every `interval`. Call once.
  void Start();
  // Stops ticking. Any thread.
  void Stop();

 private:
  void Arm();

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  const std::weak_ptr<ClientState> state_;
  const absl::Duration interval_;
  bool stopped_ = false;  // on strand_
};

}  // namespace awsgw::http::client

#endif  // AWSGW_HTTP_CLIENT_IDLE_SWEEPER_H_
