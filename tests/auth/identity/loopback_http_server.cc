#include "tests/auth/identity/loopback_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"

namespace awsgw::auth::identity::testing {

LoopbackHttpServer::LoopbackHttpServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (listen_fd_ < 0 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::cerr << "LoopbackHttpServer: cannot listen\n";
    std::abort();
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Run(); });
}

LoopbackHttpServer::~LoopbackHttpServer() { Stop(); }

std::string LoopbackHttpServer::Url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

void LoopbackHttpServer::SetResponse(int status, std::string body) {
  absl::MutexLock lock(&mu_);
  status_ = status;
  body_ = std::move(body);
}

int LoopbackHttpServer::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

std::string LoopbackHttpServer::last_request() const {
  absl::MutexLock lock(&mu_);
  return last_request_;
}

void LoopbackHttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

void LoopbackHttpServer::Run() {
  while (!stopping_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (::poll(&waiting, 1, 20) <= 0) continue;  // wakes up to see stopping_
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      pollfd readable{fd, POLLIN, 0};
      if (::poll(&readable, 1, 2000) <= 0) break;
      const ssize_t n = ::read(fd, buffer, sizeof(buffer));
      if (n <= 0) break;
      request.append(buffer, static_cast<size_t>(n));
    }
    std::string response;
    {
      absl::MutexLock lock(&mu_);
      ++requests_;
      last_request_ = request;
      response =
          absl::StrCat("HTTP/1.1 ", status_, " X\r\nContent-Type: application/json\r\n",
                       "Content-Length: ", body_.size(), "\r\nConnection: close\r\n\r\n", body_);
    }
    size_t sent = 0;
    while (sent < response.size()) {
      const ssize_t n = ::write(fd, response.data() + sent, response.size() - sent);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    ::close(fd);
  }
}

}  // namespace awsgw::auth::identity::testing
