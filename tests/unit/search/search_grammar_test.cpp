// Table-driven tests of the search grammar: filter and order_by strings to the
// AST they parse into, or to the error they are rejected with; page tokens.
#include "server/search/search.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

namespace mlflowcpp::server::search {

// GoogleTest finds these by argument-dependent lookup to print failures.
void PrintTo(const Clause& clause, std::ostream* out) {
  *out << entity_name(clause.entity) << ".`" << clause.key << "` " << comparator_name(clause.comparator) << ' ';
  if (const auto* text = std::get_if<std::string>(&clause.value)) *out << '\'' << *text << '\'';
  if (const auto* number = std::get_if<Number>(&clause.value)) *out << number->text << " (" << number->value << ')';
  if (const auto* items = std::get_if<std::vector<std::string>>(&clause.value)) {
    *out << '(';
    for (const auto& item : *items) *out << '\'' << item << "' ";
    *out << ')';
  }
}

void PrintTo(const OrderBy& order_by, std::ostream* out) {
  *out << entity_name(order_by.entity) << ".`" << order_by.key << "` " << (order_by.ascending ? "ASC" : "DESC");
}

namespace {

using Items = std::vector<std::string>;

Clause clause(Entity entity, std::string key, Comparator comparator, Literal value) {
  return Clause{entity, std::move(key), comparator, std::move(value)};
}
Clause metric(std::string key, Comparator comparator, std::string text, double value) {
  return clause(Entity::kMetric, std::move(key), comparator, Number{std::move(text), value});
}
Clause param(std::string key, Comparator comparator, std::string value) {
  return clause(Entity::kParam, std::move(key), comparator, std::move(value));
}
Clause tag(std::string key, Comparator comparator, std::string value) {
  return clause(Entity::kTag, std::move(key), comparator, std::move(value));
}
Clause attribute(std::string key, Comparator comparator, Literal value) {
  return clause(Entity::kAttribute, std::move(key), comparator, std::move(value));
}
Clause dataset(std::string key, Comparator comparator, Literal value) {
  return clause(Entity::kDataset, std::move(key), comparator, std::move(value));
}
Number number(std::string text, double value) { return Number{std::move(text), value}; }

// Runs `call` and checks it throws INVALID_PARAMETER_VALUE (HTTP 400) with a
// message containing `fragment`.
void expect_invalid(const std::function<void()>& call, const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "no exception; expected one mentioning: " << fragment;
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE") << error.what();
    EXPECT_EQ(error.http_status(), 400);
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
        << "message: " << error.what() << "\nexpected to contain: " << fragment;
  }
}

// ---------------------------------------------------------------------------
// Filters that parse

struct FilterCase {
  std::string name;
  std::string filter;
  std::vector<Clause> expected;
};

void PrintTo(const FilterCase& test, std::ostream* out) { *out << test.filter; }

class RunFilterParses : public ::testing::TestWithParam<FilterCase> {};

TEST_P(RunFilterParses, ToTheExpectedClauses) {
  const FilterCase& test = GetParam();
  Filter parsed;
  ASSERT_NO_THROW(parsed = parse_run_filter(test.filter)) << test.filter;
  EXPECT_EQ(parsed.clauses, test.expected) << test.filter;
}

using C = Comparator;

INSTANTIATE_TEST_SUITE_P(
    Grammar, RunFilterParses,
    ::testing::Values(
        FilterCase{"Empty", "", {}},
        FilterCase{"Blank", "  \t\n ", {}},
        FilterCase{"MetricLess", "metrics.rmse < 1", {metric("rmse", C::kLt, "1", 1)}},
        FilterCase{"MetricSingular", "metric.acc >= 0.9", {metric("acc", C::kGe, "0.9", 0.9)}},
        FilterCase{"MetricEveryComparator",
                   "metrics.a = 1 and metrics.a != 2 and metrics.a < 3 and metrics.a <= 4 and metrics.a > 5 and "
                   "metrics.a >= 6",
                   {metric("a", C::kEq, "1", 1), metric("a", C::kNe, "2", 2), metric("a", C::kLt, "3", 3),
                    metric("a", C::kLe, "4", 4), metric("a", C::kGt, "5", 5), metric("a", C::kGe, "6", 6)}},
        FilterCase{"NegativeNumber", "metrics.a > -1.5", {metric("a", C::kGt, "-1.5", -1.5)}},
        FilterCase{"Exponent", "metrics.a < 1e3 and metrics.b > 1E-3",
                   {metric("a", C::kLt, "1e3", 1000), metric("b", C::kGt, "1E-3", 0.001)}},
        FilterCase{"LeadingDot", "metrics.a = .5", {metric("a", C::kEq, ".5", 0.5)}},
        FilterCase{"HugeNumberIsInfinity", "metrics.a < 1e400",
                   {metric("a", C::kLt, "1e400", std::numeric_limits<double>::infinity())}},
        FilterCase{"NoSpaces", "metrics.a>=-1", {metric("a", C::kGe, "-1", -1)}},
        FilterCase{"ParamSingleQuotes", "params.model = 'lr'", {param("model", C::kEq, "lr")}},
        FilterCase{"ParamDoubleQuotes", "param.model = \"lr\"", {param("model", C::kEq, "lr")}},
        FilterCase{"ParamAliases", "parameter.x != 'a' AND parameters.y LIKE 'a%'",
                   {param("x", C::kNe, "a"), param("y", C::kLike, "a%")}},
        FilterCase{"EmptyString", "params.x = ''", {param("x", C::kEq, "")}},
        FilterCase{"NeOnMissingKeyParses", "params.missing != 'x'", {param("missing", C::kNe, "x")}},
        FilterCase{"TagDoubleQuotedKey", "tags.\"team-x\" LIKE 'ml%'", {tag("team-x", C::kLike, "ml%")}},
        FilterCase{"TagBacktickedKeyWithSpace", "tag.`a b` ILIKE '%X%'", {tag("a b", C::kILike, "%X%")}},
        FilterCase{"BacktickedKeyWithDotsAndSpaces", "params.`model.class name` = 'x'",
                   {param("model.class name", C::kEq, "x")}},
        FilterCase{"DoubleQuotedKeyWithDots", "metrics.\"a.b c\" > 0", {metric("a.b c", C::kGt, "0", 0)}},
        FilterCase{"BacktickedEntityAndKey", "`metrics`.`val loss` > 1", {metric("val loss", C::kGt, "1", 1)}},
        FilterCase{"UnquotedDottedKey", "tags.mlflow.parentRunId = 'abc'",
                   {tag("mlflow.parentRunId", C::kEq, "abc")}},
        FilterCase{"UnicodeKey", "params.größe = 'x'", {param("größe", C::kEq, "x")}},
        FilterCase{"QuotedAndInsideValue", "params.desc = 'salt and pepper' AND tags.x = 'y'",
                   {param("desc", C::kEq, "salt and pepper"), tag("x", C::kEq, "y")}},
        FilterCase{"QuotedUpperAndInsideDoubleQuotes", "params.desc = \"a AND b\"", {param("desc", C::kEq, "a AND b")}},
        FilterCase{"OtherQuoteInsideValue", "params.q = \"it's\" and params.r = 'say \"hi\"'",
                   {param("q", C::kEq, "it's"), param("r", C::kEq, "say \"hi\"")}},
        FilterCase{"KeywordsAnyCase", "metrics.a > 1 and params.b like 'x' AnD tags.c ilike 'y'",
                   {metric("a", C::kGt, "1", 1), param("b", C::kLike, "x"), tag("c", C::kILike, "y")}},
        FilterCase{"StringAttributes",
                   "attributes.status = 'FINISHED' and attr.user_id = 'ana' and run.artifact_uri LIKE 's3://%'",
                   {attribute("status", C::kEq, "FINISHED"), attribute("user_id", C::kEq, "ana"),
                    attribute("artifact_uri", C::kLike, "s3://%")}},
        FilterCase{"BareAttribute", "status != 'RUNNING'", {attribute("status", C::kNe, "RUNNING")}},
        FilterCase{"RunIdIn", "attributes.run_id IN ('abc', 'def')",
                   {attribute("run_id", C::kIn, Items{"abc", "def"})}},
        FilterCase{"RunIdNotInLowerCase", "run_id not in ('abc')", {attribute("run_id", C::kNotIn, Items{"abc"})}},
        FilterCase{"RunIdInKeepsUpperCaseItemsInTheAst", "run_id IN ('ABC','def')",
                   {attribute("run_id", C::kIn, Items{"ABC", "def"})}},
        FilterCase{"StartTime", "attributes.start_time >= 1700000000000",
                   {attribute("start_time", C::kGe, number("1700000000000", 1700000000000.0))}},
        FilterCase{"CreatedAliases", "created < 5 and Created > 1",
                   {attribute("start_time", C::kLt, number("5", 5)), attribute("start_time", C::kGt, number("1", 1))}},
        FilterCase{"EndTime", "attributes.end_time != 0", {attribute("end_time", C::kNe, number("0", 0))}},
        FilterCase{"RunNameAliases",
                   "\"run name\" = 'x' and `Run name` LIKE 'a%' and attributes.\"Run Name\" = 'y' and "
                   "attributes.run_name ILIKE 'z'",
                   {attribute("run_name", C::kEq, "x"), attribute("run_name", C::kLike, "a%"),
                    attribute("run_name", C::kEq, "y"), attribute("run_name", C::kILike, "z")}},
        FilterCase{"DatasetClauses",
                   "dataset.name IN ('a','b') and datasets.context = 'training' and dataset.digest NOT IN ('x')",
                   {dataset("name", C::kIn, Items{"a", "b"}), dataset("context", C::kEq, "training"),
                    dataset("digest", C::kNotIn, Items{"x"})}},
        FilterCase{"DatasetLike", "dataset.name ILIKE 'image%'", {dataset("name", C::kILike, "image%")}}),
    [](const ::testing::TestParamInfo<FilterCase>& info) { return info.param.name; });

// ---------------------------------------------------------------------------
// Filters that are rejected

struct RejectedCase {
  std::string name;
  std::string input;
  std::string message_fragment;
};

void PrintTo(const RejectedCase& test, std::ostream* out) { *out << test.input; }

class RunFilterRejected : public ::testing::TestWithParam<RejectedCase> {};

TEST_P(RunFilterRejected, WithInvalidParameterValue) {
  const RejectedCase& test = GetParam();
  expect_invalid([&] { parse_run_filter(test.input); }, test.message_fragment);
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, RunFilterRejected,
    ::testing::Values(
        RejectedCase{"MetricWithString", "metrics.a > 'x'", "Expected numeric value type for metric"},
        RejectedCase{"MetricWithUnquotedWord", "metrics.a > abc", "Expected numeric value type for metric"},
        RejectedCase{"MetricLike", "metrics.a LIKE 1", "Invalid comparator 'LIKE'"},
        RejectedCase{"MetricIn", "metrics.a IN ('1')", "Expected numeric value type for metric"},
        RejectedCase{"ParamGreater", "params.a > 'x'", "Invalid comparator '>'"},
        RejectedCase{"ParamNumber", "params.a = 1", "Expected a quoted string value for parameter"},
        RejectedCase{"ParamUnquoted", "params.a = abc", "not quoted"},
        RejectedCase{"ParamBackticked", "params.a = `abc`", "not quoted"},
        RejectedCase{"TagIn", "tags.a IN ('x')", "Expected a quoted string value for tag"},
        RejectedCase{"TagNotLike", "tags.a NOT LIKE 'x'", "expected a comparator"},
        RejectedCase{"ListOnStatus", "attributes.status IN ('a')", "Only the 'run_id' attribute"},
        RejectedCase{"StartTimeString", "attributes.start_time = 'x'", "numeric attribute: start_time"},
        RejectedCase{"StartTimeLike", "attributes.start_time LIKE 1", "Invalid comparator 'LIKE'"},
        RejectedCase{"StatusNumber", "attributes.status = 1", "Expected a quoted string value for attributes"},
        RejectedCase{"StatusGreater", "attributes.status > 'A'", "Invalid comparator '>'"},
        RejectedCase{"UnknownAttribute", "attributes.foo = 'x'", "Invalid attribute key 'foo'"},
        RejectedCase{"LifecycleNotSearchable", "lifecycle_stage = 'active'", "Invalid attribute key"},
        RejectedCase{"UnknownEntity", "foo.bar = 'x'", "Invalid entity type 'foo'"},
        RejectedCase{"EntityIsCaseSensitive", "METRICS.a > 1", "Invalid entity type 'METRICS'"},
        RejectedCase{"DoubleQuotedEntity", "\"metrics\".a > 1", "Invalid entity type"},
        RejectedCase{"QuotedWholeIdentifier", "\"metrics.a\" > 1", "Invalid attribute key 'metrics.a'"},
        RejectedCase{"UnknownDatasetKey", "dataset.foo = 'x'", "Invalid dataset key 'foo'"},
        RejectedCase{"DatasetNumber", "dataset.name = 1", "Expected a quoted string value for dataset"},
        RejectedCase{"EmptyList", "run_id IN ()", "empty list"},
        RejectedCase{"TrailingCommaInList", "run_id IN ('a', )", "single-quoted strings"},
        RejectedCase{"DoubleQuotedListItem", "run_id IN (\"a\")", "single-quoted strings"},
        RejectedCase{"NumberListItem", "run_id IN (1)", "single-quoted strings"},
        RejectedCase{"UnclosedList", "run_id IN ('a'", "ill-formed list"},
        RejectedCase{"InWithoutList", "run_id IN 'a'", "IN and NOT IN take a parenthesised list"},
        RejectedCase{"ListWithoutIn", "run_id = ('a')", "can only follow IN or NOT IN"},
        RejectedCase{"Or", "metrics.a > 1 OR metrics.b > 1", "OR is not supported"},
        RejectedCase{"DanglingAnd", "metrics.a > 1 AND", "a clause must follow AND"},
        RejectedCase{"LeadingAnd", "AND metrics.a > 1", "Invalid clause"},
        RejectedCase{"TwoStatements", "metrics.a > 1; metrics.b > 2", "multiple expressions"},
        RejectedCase{"TrailingSemicolon", "metrics.a > 1;", "multiple expressions"},
        RejectedCase{"MissingAnd", "metrics.a > 1 metrics.b > 2", "Invalid clause"},
        RejectedCase{"DoubleEquals", "metrics.a == 1", "Invalid comparator '=='"},
        RejectedCase{"SqlNotEquals", "metrics.a <> 1", "Invalid comparator '<>'"},
        RejectedCase{"UnterminatedString", "params.a = 'oops", "Unterminated quoted text"},
        RejectedCase{"UnterminatedBacktick", "params.`a = 'x'", "Unterminated quoted text"},
        RejectedCase{"DoubledQuoteIsNoEscape", "params.a = 'it''s'", "Invalid clause"},
        RejectedCase{"NumberGluedToWord", "metrics.a > 1abc", "Invalid number '1abc'"},
        RejectedCase{"TwoDotsInNumber", "metrics.a > 1.2.3", "Invalid number"},
        RejectedCase{"SpaceAfterDot", "metrics. a > 1", "nothing follows the '.'"},
        RejectedCase{"NoComparator", "metrics.a", "expected a comparator"},
        RejectedCase{"NoValue", "metrics.a >", "expected a value"},
        RejectedCase{"StrayCharacter", "params.a = 'x' # comment", "Invalid character '#'"},
        RejectedCase{"PartlyQuotedKey", "tags.a.\"b\" = 'x'", "Quote the whole key"},
        RejectedCase{"Parentheses", "(metrics.a > 1)", "Invalid clause"},
        RejectedCase{"IsNull", "tags.a IS NULL", "expected a comparator"},
        RejectedCase{"ValueFirst", "'x' = params.a", "Invalid clause"}),
    [](const ::testing::TestParamInfo<RejectedCase>& info) { return info.param.name; });

// ---------------------------------------------------------------------------
// Experiment filters

class ExperimentFilterParses : public ::testing::TestWithParam<FilterCase> {};

TEST_P(ExperimentFilterParses, ToTheExpectedClauses) {
  const FilterCase& test = GetParam();
  Filter parsed;
  ASSERT_NO_THROW(parsed = parse_experiment_filter(test.filter)) << test.filter;
  EXPECT_EQ(parsed.clauses, test.expected) << test.filter;
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, ExperimentFilterParses,
    ::testing::Values(
        FilterCase{"Empty", "", {}},
        FilterCase{"Name", "name = 'x'", {attribute("name", C::kEq, "x")}},
        FilterCase{"AttributeName", "attribute.name LIKE 'fix%'", {attribute("name", C::kLike, "fix%")}},
        FilterCase{"Tags", "tags.team = 'cv' and tag.`owner` ILIKE 'A%' and tags.\"a.b\" != \"c\"",
                   {tag("team", C::kEq, "cv"), tag("owner", C::kILike, "A%"), tag("a.b", C::kNe, "c")}},
        FilterCase{"Times", "creation_time > 1000 AND last_update_time <= 2000",
                   {attribute("creation_time", C::kGt, number("1000", 1000)),
                    attribute("last_update_time", C::kLe, number("2000", 2000))}}),
    [](const ::testing::TestParamInfo<FilterCase>& info) { return info.param.name; });

class ExperimentFilterRejected : public ::testing::TestWithParam<RejectedCase> {};

TEST_P(ExperimentFilterRejected, WithInvalidParameterValue) {
  const RejectedCase& test = GetParam();
  expect_invalid([&] { parse_experiment_filter(test.input); }, test.message_fragment);
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, ExperimentFilterRejected,
    ::testing::Values(
        RejectedCase{"AttributesPlural", "attributes.name = 'x'", "Invalid entity type 'attributes'"},
        RejectedCase{"Metrics", "metrics.a > 1", "Invalid entity type 'metrics'"},
        RejectedCase{"NameIn", "name IN ('a')", "Only the 'run_id' attribute"},
        RejectedCase{"NameGreater", "name > 'a'", "Invalid comparator '>'"},
        RejectedCase{"CreationTimeString", "creation_time = 'x'", "numeric attribute: creation_time"},
        RejectedCase{"CreationTimeLike", "creation_time LIKE 1", "Invalid comparator 'LIKE'"},
        RejectedCase{"ExperimentIdNotSearchable", "experiment_id = '1'", "Invalid attribute key 'experiment_id'"},
        RejectedCase{"TagGreater", "tags.a > 'x'", "Invalid comparator '>'"},
        RejectedCase{"TagNumber", "tags.a = 1", "Expected a quoted string value for tag"},
        RejectedCase{"BadSyntax", "name = 'x' name = 'y'", "Invalid clause"}),
    [](const ::testing::TestParamInfo<RejectedCase>& info) { return info.param.name; });

// ---------------------------------------------------------------------------
// order_by

struct OrderByCase {
  std::string name;
  std::string input;
  OrderBy expected;
};

void PrintTo(const OrderByCase& test, std::ostream* out) { *out << test.input; }

class RunOrderByParses : public ::testing::TestWithParam<OrderByCase> {};

TEST_P(RunOrderByParses, ToTheExpectedTerm) {
  const OrderByCase& test = GetParam();
  OrderBy parsed;
  ASSERT_NO_THROW(parsed = parse_run_order_by(test.input)) << test.input;
  EXPECT_EQ(parsed, test.expected) << test.input;
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, RunOrderByParses,
    ::testing::Values(OrderByCase{"DefaultAscending", "metrics.loss", {Entity::kMetric, "loss", true}},
                      OrderByCase{"Desc", "metrics.loss DESC", {Entity::kMetric, "loss", false}},
                      OrderByCase{"LowerCaseDirection", "metrics.loss desc", {Entity::kMetric, "loss", false}},
                      OrderByCase{"BacktickedParam", "params.`model class` ASC", {Entity::kParam, "model class", true}},
                      OrderByCase{"QuotedTag", "tags.\"a.b\" DESC", {Entity::kTag, "a.b", false}},
                      OrderByCase{"DottedTag", "tags.mlflow.runName", {Entity::kTag, "mlflow.runName", true}},
                      OrderByCase{"BacktickedEntity", "`metrics`.`val loss`", {Entity::kMetric, "val loss", true}},
                      OrderByCase{"StartTime", "attributes.start_time", {Entity::kAttribute, "start_time", true}},
                      OrderByCase{"BareAttribute", "start_time DESC", {Entity::kAttribute, "start_time", false}},
                      OrderByCase{"Created", "created ASC", {Entity::kAttribute, "start_time", true}},
                      OrderByCase{"RunId", "run_id", {Entity::kAttribute, "run_id", true}},
                      OrderByCase{"RunName", "attribute.run_name desc", {Entity::kAttribute, "run_name", false}},
                      OrderByCase{"Surrounding blanks", "  metrics.loss   ASC ", {Entity::kMetric, "loss", true}}),
    [](const ::testing::TestParamInfo<OrderByCase>& info) {
      std::string name = info.param.name;
      for (char& c : name) c = c == ' ' ? '_' : c;
      return name;
    });

class RunOrderByRejected : public ::testing::TestWithParam<RejectedCase> {};

TEST_P(RunOrderByRejected, WithInvalidParameterValue) {
  const RejectedCase& test = GetParam();
  expect_invalid([&] { parse_run_order_by(test.input); }, test.message_fragment);
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, RunOrderByRejected,
    ::testing::Values(RejectedCase{"Empty", "", "Could not be parsed"},
                      RejectedCase{"BadDirection", "metrics.loss DESCENDING", "Invalid ordering key"},
                      RejectedCase{"TwoDirections", "metrics.loss ASC DESC", "Could not be parsed"},
                      RejectedCase{"TwoKeys", "metrics.loss, params.x", "Could not be parsed"},
                      RejectedCase{"UnknownEntity", "foo.bar", "Invalid entity type 'foo'"},
                      RejectedCase{"UnknownAttribute", "attributes.lifecycle_stage", "Invalid attribute key"},
                      RejectedCase{"RunNameSpellingIsFilterOnly", "\"run name\"", "Invalid attribute key 'run name'"},
                      RejectedCase{"Dataset", "dataset.name", "metrics, params, tags and attributes only"},
                      RejectedCase{"Number", "1", "Could not be parsed"}),
    [](const ::testing::TestParamInfo<RejectedCase>& info) { return info.param.name; });

TEST(ExperimentOrderBy, AcceptsTheFourAttributes) {
  EXPECT_EQ(parse_experiment_order_by("name"), (OrderBy{Entity::kAttribute, "name", true}));
  EXPECT_EQ(parse_experiment_order_by("experiment_id DESC"), (OrderBy{Entity::kAttribute, "experiment_id", false}));
  EXPECT_EQ(parse_experiment_order_by("attribute.creation_time asc"),
            (OrderBy{Entity::kAttribute, "creation_time", true}));
  EXPECT_EQ(parse_experiment_order_by("last_update_time DESC"),
            (OrderBy{Entity::kAttribute, "last_update_time", false}));
}

TEST(ExperimentOrderBy, RejectsTagsAndOtherKeys) {
  expect_invalid([] { parse_experiment_order_by("tags.a"); }, "Invalid order_by entity: tag");
  expect_invalid([] { parse_experiment_order_by("artifact_location"); }, "Invalid attribute key");
  expect_invalid([] { parse_experiment_order_by("metrics.a"); }, "Invalid entity type");
  expect_invalid([] { parse_experiment_order_by("name sideways"); }, "Invalid ordering key");
}

// ---------------------------------------------------------------------------
// Page tokens

// Standard base64 of `text`, written out here so the test does not trust the
// encoder it checks.
std::string base64(const std::string& text) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const uint32_t n = (uint8_t(text[i]) << 16) | (uint8_t(text[i + 1]) << 8) | uint8_t(text[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(n >> shift) & 63];
  }
  if (text.size() - i == 1) {
    const uint32_t n = uint8_t(text[i]) << 16;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += "==";
  } else if (text.size() - i == 2) {
    const uint32_t n = (uint8_t(text[i]) << 16) | (uint8_t(text[i + 1]) << 8);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

TEST(PageToken, MatchesTheOfficialServersBytes) {
  // From the fixture answers: runs/search with max_results 2.
  EXPECT_EQ(encode_page_token(2), "eyJvZmZzZXQiOiAyfQ==");
  EXPECT_EQ(encode_page_token(1000), base64("{\"offset\": 1000}"));
}

TEST(PageToken, RoundTrips) {
  for (int64_t offset : {int64_t{0}, int64_t{1}, int64_t{2}, int64_t{999}, int64_t{50000}, int64_t{123456789},
                         int64_t{9007199254740991}}) {
    EXPECT_EQ(decode_page_token(encode_page_token(offset)), offset) << offset;
  }
}

TEST(PageToken, EmptyMeansTheFirstPage) { EXPECT_EQ(decode_page_token(""), 0); }

TEST(PageToken, AcceptsOtherJsonSpacing) { EXPECT_EQ(decode_page_token(base64("{\"offset\":7}")), 7); }

TEST(PageToken, RejectsGarbage) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"garbage!", "could not base64-decode"},
      {"abc", "could not base64-decode"},
      {"eyJvZmZzZXQiOiAyfQ", "could not base64-decode"},  // padding missing
      {"eyJvZmZzZXQiOiAyfQ==eyJv", "could not base64-decode"},
      {"=eyJvZmZzZXQiOiAyfQ=", "could not base64-decode"},
      {base64("not json"), "not JSON"},
      {base64(" "), "not JSON"},
      {base64("{\"offset\": 2} x"), "not JSON"},
      {base64("[1]"), "parsed value"},
      {base64("{}"), "parsed value"},
      {base64("{\"offset\": -1}"), "parsed value"},
      {base64("{\"offset\": 1.5}"), "parsed value"},
      {base64("{\"offset\": \"2\"}"), "parsed value"},
      {base64("{\"offset\": null}"), "parsed value"},
      {base64("{\"offset\": 2, \"extra\": 1}"), "parsed value"},
      {base64("{\"offset\": 18446744073709551615}"), "parsed value"},
      {base64("{\"offset\": 9223372036854775807}"), "parsed value"},
      {base64("{\"offset\": 9007199254740992}"), "parsed value"},
      {base64("{\"Offset\": 2}"), "parsed value"},
  };
  for (const auto& [token, fragment] : cases) {
    SCOPED_TRACE(token);
    expect_invalid([&] { decode_page_token(token); }, fragment);
  }
}

}  // namespace
}  // namespace mlflowcpp::server::search
