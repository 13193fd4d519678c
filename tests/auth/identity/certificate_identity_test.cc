// IdentityFromCertificate: each principal source and the refusals.
#include "auth/identity/certificate_identity.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace awsgw::auth::identity {
namespace {

PresentedCredentials Cert(std::vector<std::string> uris, std::vector<std::string> dns,
                          std::string cn) {
  PresentedCredentials presented;
  presented.has_client_certificate = true;
  presented.uri_sans = std::move(uris);
  presented.dns_sans = std::move(dns);
  presented.common_name = std::move(cn);
  return presented;
}

std::string PrincipalOf(const PresentedCredentials& presented, CertificatePrincipalSource source) {
  AuthOutcome outcome = IdentityFromCertificate(presented, source);
  if (!outcome.ok()) return absl::StrCat("FAILED: ", outcome.failure.reason);
  EXPECT_EQ(outcome.identity->method, AuthMethod::kMtls);
  return outcome.identity->principal;
}

constexpr auto kAuto = CertificatePrincipalSource::kAuto;
constexpr auto kSpiffe = CertificatePrincipalSource::kSpiffe;
constexpr auto kDns = CertificatePrincipalSource::kDns;
constexpr auto kCn = CertificatePrincipalSource::kCommonName;

TEST(CertificateIdentityTest, AutoPrefersSpiffeThenDnsThenCommonName) {
  const PresentedCredentials all =
      Cert({"https://example.com/x", "spiffe://prod.example/ns/web/sa/api"},
           {"api.example.com", "alt.example.com"}, "API Service");
  EXPECT_EQ(PrincipalOf(all, kAuto), "spiffe://prod.example/ns/web/sa/api");
  EXPECT_EQ(PrincipalOf(Cert({"https://example.com/x"}, {"api.example.com"}, "API Service"), kAuto),
            "api.example.com");
  EXPECT_EQ(PrincipalOf(Cert({}, {}, "API Service"), kAuto), "API Service");
  EXPECT_EQ(PrincipalOf(Cert({}, {}, ""), kAuto), "FAILED: no_certificate_identity");
}

TEST(CertificateIdentityTest, ExplicitSources) {
  const PresentedCredentials all =
      Cert({"spiffe://prod.example/web"}, {"api.example.com", "alt.example.com"}, "svc");
  EXPECT_EQ(PrincipalOf(all, kSpiffe), "spiffe://prod.example/web");
  EXPECT_EQ(PrincipalOf(all, kDns), "api.example.com");
  EXPECT_EQ(PrincipalOf(all, kCn), "svc");
  const PresentedCredentials cn_only = Cert({"urn:x"}, {}, "svc");
  EXPECT_EQ(PrincipalOf(cn_only, kSpiffe), "FAILED: no_certificate_identity");
  EXPECT_EQ(PrincipalOf(cn_only, kDns), "FAILED: no_certificate_identity");
  EXPECT_EQ(PrincipalOf(Cert({}, {"a.example"}, ""), kCn), "FAILED: no_certificate_identity");
}

TEST(CertificateIdentityTest, RefusesSeveralSpiffeIds) {
  const PresentedCredentials two =
      Cert({"spiffe://a.example/one", "spiffe://a.example/two"}, {"api.example.com"}, "svc");
  EXPECT_EQ(PrincipalOf(two, kAuto), "FAILED: no_certificate_identity");  // no fallback
  EXPECT_EQ(PrincipalOf(two, kSpiffe), "FAILED: no_certificate_identity");
  // Whatever the source: such a certificate breaks the SPIFFE profile.
  EXPECT_EQ(PrincipalOf(two, kDns), "FAILED: no_certificate_identity");
}

TEST(CertificateIdentityTest, RefusesUnusableValues) {
  EXPECT_EQ(PrincipalOf(Cert({"spiffe://"}, {}, ""), kSpiffe), "FAILED: no_certificate_identity");
  EXPECT_EQ(PrincipalOf(Cert({"spiffe:///path"}, {}, ""), kAuto),
            "FAILED: no_certificate_identity");
  EXPECT_EQ(PrincipalOf(Cert({}, {"bad name"}, ""), kDns), "FAILED: no_certificate_identity");
  EXPECT_EQ(PrincipalOf(Cert({}, {}, " padded"), kCn), "FAILED: no_certificate_identity");
  EXPECT_EQ(PrincipalOf(Cert({}, {}, "ctl\x01"), kCn), "FAILED: no_certificate_identity");
  EXPECT_EQ(PrincipalOf(Cert({}, {std::string(2049, 'a')}, ""), kDns),
            "FAILED: no_certificate_identity");
}

TEST(CertificateIdentityTest, NoCertificate) {
  PresentedCredentials none = Cert({"spiffe://a/b"}, {}, "");
  none.has_client_certificate = false;
  EXPECT_EQ(PrincipalOf(none, kAuto), "FAILED: no_certificate_identity");
}

TEST(CertificateIdentityTest, ParsesSourceNames) {
  EXPECT_EQ(*ParseCertificatePrincipalSource("auto"), kAuto);
  EXPECT_EQ(*ParseCertificatePrincipalSource("spiffe"), kSpiffe);
  EXPECT_EQ(*ParseCertificatePrincipalSource("dns"), kDns);
  EXPECT_EQ(*ParseCertificatePrincipalSource("common_name"), kCn);
  EXPECT_FALSE(ParseCertificatePrincipalSource("cn").ok());
}

}  // namespace
}  // namespace awsgw::auth::identity
