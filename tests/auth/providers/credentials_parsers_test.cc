// The documents credentials arrive in: the JSON of credential_process, the
// container endpoint and IMDS, and STS's XML.
#include "auth/providers/credentials_json.h"
#include "auth/providers/sts_xml.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace awsgw::auth::providers {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CredentialsJsonTest, ProcessFormat) {
  absl::StatusOr<Credentials> c = ParseCredentialsJson(
      R"({"Version": 1, "AccessKeyId": "ASIA1", "SecretAccessKey": "s3cr3t",
          "SessionToken": "tok", "Expiration": "2026-11-23T12:00:00Z"})",
      CredentialsJsonFormat::kProcess, "process");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->access_key_id(), "ASIA1");
  EXPECT_EQ(c->secret_access_key(), "s3cr3t");
  EXPECT_EQ(c->session_token(), "tok");
  EXPECT_EQ(*c->expiration(), absl::FromUnixSeconds(1795435200));
}

TEST(CredentialsJsonTest, MetadataFormatWithoutExpiry) {
  absl::StatusOr<Credentials> c =
      ParseCredentialsJson(R"({"Code": "Success", "AccessKeyId": "A", "SecretAccessKey": "S",
                               "Token": "T", "Expiration": "2026-11-23T12:00:00.123+01:00"})",
                           CredentialsJsonFormat::kMetadata, "imds");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->session_token(), "T");
  absl::StatusOr<Credentials> long_term = ParseCredentialsJson(
      R"({"AccessKeyId": "A", "SecretAccessKey": "S"})", CredentialsJsonFormat::kMetadata, "x");
  ASSERT_TRUE(long_term.ok());
  EXPECT_FALSE(long_term->expiration().has_value());
}

TEST(CredentialsJsonTest, MalformedDocumentsNameTheProblemNotTheValues) {
  struct Case {
    const char* body;
    CredentialsJsonFormat format;
    const char* message;
  } cases[] = {
      {"not json", CredentialsJsonFormat::kMetadata, "src: the answer is not valid JSON"},
      {"[1]", CredentialsJsonFormat::kMetadata, "src: the answer is not a JSON object"},
      {R"({"AccessKeyId":"A","SecretAccessKey":"topsecret"})", CredentialsJsonFormat::kProcess,
       "src: Version is missing (expected 1)"},
      {R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":"topsecret"})",
       CredentialsJsonFormat::kProcess, "src: unsupported Version (expected 1)"},
      {R"({"SecretAccessKey":"topsecret"})", CredentialsJsonFormat::kMetadata,
       "src: AccessKeyId is missing"},
      {R"({"AccessKeyId":"A"})", CredentialsJsonFormat::kMetadata,
       "src: SecretAccessKey is missing"},
      {R"({"AccessKeyId":"A","SecretAccessKey":7})", CredentialsJsonFormat::kMetadata,
       "src: SecretAccessKey is not a string"},
      {R"({"Code":"Failed","AccessKeyId":"A","SecretAccessKey":"topsecret"})",
       CredentialsJsonFormat::kMetadata, "src: the answer's Code is 'Failed', not 'Success'"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Credentials> parsed = ParseCredentialsJson(c.body, c.format, "src");
    ASSERT_FALSE(parsed.ok()) << c.body;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(parsed.status().message(), c.message);
  }
  absl::StatusOr<Credentials> bad_time = ParseCredentialsJson(
      R"({"AccessKeyId":"A","SecretAccessKey":"topsecret","Expiration":"tomorrow"})",
      CredentialsJsonFormat::kMetadata, "src");
  EXPECT_THAT(std::string(bad_time.status().message()), HasSubstr("src: Expiration:"));
  EXPECT_THAT(std::string(bad_time.status().message()), Not(HasSubstr("topsecret")));
}

// absl::ParseTime also reads "infinite-future" and "infinite-past"; as an
// expiry they would make credentials that are never (or always) refreshed.
TEST(CredentialsJsonTest, ExpiryMustBeAnInstant) {
  EXPECT_EQ(*ParseIso8601("2026-11-23T12:00:00Z"), absl::FromUnixSeconds(1795435200));
  for (const char* text : {"infinite-future", "infinite-past", " infinite-past "}) {
    absl::StatusOr<absl::Time> time = ParseIso8601(text);
    EXPECT_EQ(time.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
  absl::StatusOr<Credentials> never = ParseCredentialsJson(
      R"({"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"infinite-future"})",
      CredentialsJsonFormat::kMetadata, "src");
  EXPECT_EQ(never.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(never.status().message()), HasSubstr("src: Expiration:"));
}

constexpr char kAssumeRoleResponse[] =
    R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAROLE</AccessKeyId>
      <SecretAccessKey>role/secret+key</SecretAccessKey>
      <SessionToken>
        token&amp;value
      </SessionToken>
      <Expiration>2026-11-23T13:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>)";

TEST(StsXmlTest, ParsesCredentials) {
  absl::StatusOr<Credentials> c = ParseStsCredentials(kAssumeRoleResponse, "AssumeRole");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->access_key_id(), "ASIAROLE");
  EXPECT_EQ(c->secret_access_key(), "role/secret+key");
  EXPECT_EQ(c->session_token(), "token&value");
  EXPECT_EQ(*c->expiration(), absl::FromUnixSeconds(1795438800));
}

TEST(StsXmlTest, WrongActionOrMissingPartsAreClearErrors) {
  EXPECT_EQ(
      ParseStsCredentials(kAssumeRoleResponse, "AssumeRoleWithWebIdentity").status().message(),
      "STS AssumeRoleWithWebIdentity: the answer is not an AssumeRoleWithWebIdentityResponse");
  EXPECT_EQ(ParseStsCredentials("<oops", "AssumeRole").status().message(),
            "STS AssumeRole: the answer is not well-formed XML");
  EXPECT_EQ(ParseStsCredentials("<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>",
                                "AssumeRole")
                .status()
                .message(),
            "STS AssumeRole: the answer holds no Credentials");
  EXPECT_EQ(ParseStsCredentials("<AssumeRoleResponse><AssumeRoleResult><Credentials>"
                                "<AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey>"
                                "<SessionToken>T</SessionToken></Credentials></AssumeRoleResult>"
                                "</AssumeRoleResponse>",
                                "AssumeRole")
                .status()
                .message(),
            "STS AssumeRole: Expiration is missing");
}

TEST(StsXmlTest, EntitiesAreNotExpandedAndNothingIsFetched) {
  // An external entity must neither be read nor turn into key material.
  absl::StatusOr<Credentials> c = ParseStsCredentials(
      R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
         <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>&x;</AccessKeyId>
         <SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken>
         <Expiration>2026-11-23T13:00:00Z</Expiration></Credentials></AssumeRoleResult>
         </AssumeRoleResponse>)",
      "AssumeRole");
  if (c.ok()) {
    EXPECT_THAT(c->access_key_id(), Not(HasSubstr("root:")));
  }
}

TEST(StsXmlTest, Errors) {
  StsError error = ParseStsError(
      R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
         <Code>AccessDenied</Code><Message>not authorized to assume role</Message></Error>
         <RequestId>r</RequestId></ErrorResponse>)");
  EXPECT_EQ(error.code, "AccessDenied");
  EXPECT_EQ(error.message, "not authorized to assume role");
  EXPECT_EQ(ParseStsError("<html>proxy error</html>").code, "");
  EXPECT_EQ(ParseStsError("").code, "");
}

}  // namespace
}  // namespace awsgw::auth::providers
