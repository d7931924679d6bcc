// SPDX-License-Identifier: Apache-2.0
// RolloutPolicyConfig::validate: the service limits of ../shared/PROTOCOLS.md ("Service
// limits", AWS IoT API reference) plus the hawkBit / Mender rules. Every error's field is
// the key's path below `prefix` and its message names the allowed range and the value.
#include "sim/fleet/rollout/rolloutconfig.h"

#include <QRegularExpression>

#include <array>
#include <cmath>
#include <limits>

namespace otalab::sim::rollout {

namespace {

constexpr std::array<const char*, 4> kFailureTypeNames = {"FAILED", "REJECTED", "TIMED_OUT", "ALL"};

// Largest virtual time accepted anywhere (about 31.7 years, as the scenario readers).
constexpr double kMaxTimeS = 1e9;

QString num(double v)
{
    return QString::number(v, 'g', 12);
}

// True when `v` has at most `decimals` digits after the point (AWS: "supports up to
// one / two digits after the decimal"); tolerant of binary representation.
bool hasAtMostDecimals(double v, int decimals)
{
    const double scaled = v * std::pow(10.0, decimals);
    return std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, std::abs(scaled));
}

// Collects the first error; later checks are skipped once one is recorded.
class Checker {
public:
    explicit Checker(QString prefix) : m_prefix(std::move(prefix)) {}

    QString path(const QString& key) const { return m_prefix + QLatin1Char('.') + key; }
    bool failed() const { return m_error.has_value(); }
    const Error& error() const { return *m_error; }

    void fail(const QString& key, const QString& message)
    {
        if (!m_error)
            m_error = Error{message, path(key), -1};
    }
    // A finite number in [min, max] ((min, max] when minExclusive).
    void range(const QString& key, double v, double min, double max, bool minExclusive = false)
    {
        const bool low = minExclusive ? v > min : v >= min;
        if (!std::isfinite(v) || !low || v > max)
            fail(key, QStringLiteral("expected a number in %1%2, %3], got %4")
                          .arg(minExclusive ? QStringLiteral("(") : QStringLiteral("["), num(min), num(max), num(v)));
    }
    void intRange(const QString& key, long long v, long long min, long long max)
    {
        if (v < min || v > max)
            fail(key, QStringLiteral("expected an integer in [%1, %2], got %3").arg(min).arg(max).arg(v));
    }
    void decimals(const QString& key, double v, int digits)
    {
        if (std::isfinite(v) && !hasAtMostDecimals(v, digits))
            fail(key, QStringLiteral("expected at most %1 digit%2 after the decimal point, got %3")
                          .arg(digits).arg(digits == 1 ? QString() : QStringLiteral("s")).arg(num(v)));
    }
    // `present` keys are refused unless the policy is `policy`.
    void onlyWith(const QString& key, bool present, bool allowed, const char* policies)
    {
        if (present && !allowed)
            fail(key, QStringLiteral("only valid with \"policy\": %1").arg(QLatin1String(policies)));
    }

private:
    QString m_prefix;
    std::optional<Error> m_error;
};

void checkRollout(const RolloutPolicyConfig& c, Checker& k)
{
    const QString base = QStringLiteral("jobExecutionsRolloutConfig");
    if (c.rollout.maximumPerMinute)
        k.intRange(base + QStringLiteral(".maximumPerMinute"), *c.rollout.maximumPerMinute, 1, 1'000'000);
    if (!c.rollout.exponentialRate)
        return;
    const QString exp = base + QStringLiteral(".exponentialRate");
    k.onlyWith(exp, true, c.kind == PolicyKind::AwsJobs, "\"aws-jobs\"");
    const ExponentialRate& e = *c.rollout.exponentialRate;
    k.intRange(exp + QStringLiteral(".baseRatePerMinute"), e.baseRatePerMinute, 1, 1000);
    k.range(exp + QStringLiteral(".incrementFactor"), e.incrementFactor, 1.1, 5.0);
    k.decimals(exp + QStringLiteral(".incrementFactor"), e.incrementFactor, 1);
    if (c.rollout.maximumPerMinute && e.baseRatePerMinute > *c.rollout.maximumPerMinute)
        k.fail(exp + QStringLiteral(".baseRatePerMinute"),
               QStringLiteral("expected at most maximumPerMinute (%1), got %2").arg(*c.rollout.maximumPerMinute).arg(e.baseRatePerMinute));
    const QString crit = exp + QStringLiteral(".rateIncreaseCriteria");
    const RateIncreaseCriteria& r = e.rateIncreaseCriteria;
    if (r.numberOfNotifiedThings.has_value() == r.numberOfSucceededThings.has_value())
        k.fail(crit, QStringLiteral("expected exactly one of numberOfNotifiedThings, numberOfSucceededThings, got %1")
                         .arg(r.numberOfNotifiedThings ? QStringLiteral("both") : QStringLiteral("neither")));
    if (r.numberOfNotifiedThings)
        k.intRange(crit + QStringLiteral(".numberOfNotifiedThings"), *r.numberOfNotifiedThings, 1, 1'000'000);
    if (r.numberOfSucceededThings)
        k.intRange(crit + QStringLiteral(".numberOfSucceededThings"), *r.numberOfSucceededThings, 1, 1'000'000);
}

void checkAbortTimeoutRetries(const RolloutPolicyConfig& c, Checker& k)
{
    k.onlyWith(QStringLiteral("abortConfig"), !c.abort.empty(), c.kind == PolicyKind::AwsJobs, "\"aws-jobs\"");
    for (std::size_t i = 0; i < c.abort.size(); ++i) {
        const AbortCriterion& a = c.abort[i];
        const QString p = QStringLiteral("abortConfig.criteriaList[%1]").arg(i);
        if (a.action != QLatin1String("CANCEL"))
            k.fail(p + QStringLiteral(".action"), QStringLiteral("expected \"CANCEL\", got \"%1\"").arg(a.action.left(40)));
        k.range(p + QStringLiteral(".thresholdPercentage"), a.thresholdPercentage, 0, 100, true);
        k.decimals(p + QStringLiteral(".thresholdPercentage"), a.thresholdPercentage, 2);
        k.intRange(p + QStringLiteral(".minNumberOfExecutedThings"), a.minNumberOfExecutedThings, 1,
                   std::numeric_limits<int>::max());
    }
    if (c.inProgressTimeoutMinutes) {
        const QString key = QStringLiteral("timeoutConfig.inProgressTimeoutInMinutes");
        const double m = *c.inProgressTimeoutMinutes;
        if (!std::isfinite(m) || m != std::floor(m) || m < 1 || m > 10080)
            k.fail(key, QStringLiteral("expected an integer in [1, 10080] (minutes), got %1").arg(num(m)));
    }
    k.onlyWith(QStringLiteral("jobExecutionsRetryConfig"), !c.retries.empty(),
               c.kind == PolicyKind::AwsJobs || c.kind == PolicyKind::Mender, "\"aws-jobs\" or \"mender\"");
    bool seen[4] = {false, false, false, false};
    for (std::size_t i = 0; i < c.retries.size(); ++i) {
        const RetryCriterion& r = c.retries[i];
        const QString p = QStringLiteral("jobExecutionsRetryConfig.criteriaList[%1]").arg(i);
        if (r.failureType == FailureType::Rejected)
            k.fail(p + QStringLiteral(".failureType"), QStringLiteral("expected \"FAILED\", \"TIMED_OUT\" or \"ALL\", got \"REJECTED\""));
        if (seen[int(r.failureType)])
            k.fail(p + QStringLiteral(".failureType"),
                   QStringLiteral("\"%1\" given twice: one criterion per failure type").arg(failureTypeName(r.failureType)));
        seen[int(r.failureType)] = true;
        k.intRange(p + QStringLiteral(".numberOfRetries"), r.numberOfRetries, 0, 10);
    }
}

void checkScheduling(const Scheduling& s, Checker& k)
{
    k.range(QStringLiteral("schedulingConfig.startS"), s.startS, 0, kMaxTimeS);
    if (s.endS) {
        k.range(QStringLiteral("schedulingConfig.endS"), *s.endS, 0, kMaxTimeS);
        if (!(*s.endS > s.startS))
            k.fail(QStringLiteral("schedulingConfig.endS"),
                   QStringLiteral("expected a time after startS (%1 s), got %2").arg(num(s.startS), num(*s.endS)));
    }
    if (s.endBehavior != QLatin1String("STOP_ROLLOUT") && s.endBehavior != QLatin1String("CANCEL")
        && s.endBehavior != QLatin1String("FORCE_CANCEL"))
        k.fail(QStringLiteral("schedulingConfig.endBehavior"),
               QStringLiteral("expected one of \"STOP_ROLLOUT\", \"CANCEL\", \"FORCE_CANCEL\", got \"%1\"").arg(s.endBehavior.left(40)));
    for (std::size_t i = 0; i < s.maintenanceWindows.size(); ++i) {
        const MaintenanceWindow& w = s.maintenanceWindows[i];
        const QString p = QStringLiteral("schedulingConfig.maintenanceWindows[%1]").arg(i);
        k.range(p + QStringLiteral(".startS"), w.startS, 0, kMaxTimeS);
        k.range(p + QStringLiteral(".durationS"), w.durationS, 60, 82800);
        if (std::isfinite(w.durationS))
            k.range(p + QStringLiteral(".periodS"), w.periodS, w.durationS, kMaxTimeS);
    }
}

void checkGroupsPhases(const RolloutPolicyConfig& c, Checker& k)
{
    const bool hawkbit = c.kind == PolicyKind::Hawkbit;
    const bool mender = c.kind == PolicyKind::Mender;
    k.onlyWith(QStringLiteral("groups"), !c.groups.empty(), hawkbit, "\"hawkbit\"");
    k.onlyWith(QStringLiteral("phases"), !c.phases.empty(), mender, "\"mender\"");
    k.onlyWith(QStringLiteral("maxDevices"), c.maxDevices.has_value(), mender, "\"mender\"");
    if (hawkbit && c.groups.empty())
        k.fail(QStringLiteral("groups"), QStringLiteral("expected at least one group for \"policy\": \"hawkbit\""));
    if (mender && c.phases.empty())
        k.fail(QStringLiteral("phases"), QStringLiteral("expected at least one phase for \"policy\": \"mender\""));
    for (std::size_t i = 0; i < c.groups.size(); ++i) {
        const HawkbitGroup& g = c.groups[i];
        const QString p = QStringLiteral("groups[%1]").arg(i);
        k.range(p + QStringLiteral(".targetPercentage"), g.targetPercentage, 0, 100, true);
        k.range(p + QStringLiteral(".successThreshold"), g.successThreshold, 0, 100, true);
        if (g.errorThreshold)
            k.range(p + QStringLiteral(".errorThreshold"), *g.errorThreshold, 0, 100, true);
    }
    double sum = 0;
    for (std::size_t i = 0; i < c.phases.size(); ++i) {
        const MenderPhase& ph = c.phases[i];
        const QString p = QStringLiteral("phases[%1]").arg(i);
        k.range(p + QStringLiteral(".batchPercentage"), ph.batchPercentage, 0, 100, true);
        k.range(p + QStringLiteral(".startS"), ph.startS, 0, kMaxTimeS);
        if (i > 0 && ph.startS < c.phases[i - 1].startS)
            k.fail(p + QStringLiteral(".startS"), QStringLiteral("expected a time at or after phases[%1].startS (%2 s), got %3")
                                                     .arg(i - 1).arg(num(c.phases[i - 1].startS), num(ph.startS)));
        sum += ph.batchPercentage;
        if (std::isfinite(sum) && sum > 100 + 1e-9)
            k.fail(p + QStringLiteral(".batchPercentage"),
                   QStringLiteral("batches sum to %1 %; expected at most 100 % (the last phase takes the rest)").arg(num(sum)));
    }
    if (c.maxDevices)
        k.intRange(QStringLiteral("maxDevices"), *c.maxDevices, 1, std::numeric_limits<int>::max());
}

} // namespace

Result<void> RolloutPolicyConfig::validate(const QString& prefix) const
{
    Checker k(prefix);
    // AWS's jobId pattern is [a-zA-Z0-9_-]{1,64}; the lab also takes '.' so version-like
    // ids ("fw-2.1") read as written (it is a plain MQTT topic level for `jobs serve`).
    static const QRegularExpression jobIdPattern(QStringLiteral("^[a-zA-Z0-9_.-]{1,64}$"));
    if (!jobIdPattern.match(jobId).hasMatch())
        k.fail(QStringLiteral("jobId"),
               QStringLiteral("expected 1 to 64 characters of a-z, A-Z, 0-9, '-', '_' or '.', got \"%1\"").arg(jobId.left(70)));
    for (qsizetype i = 0; i < targets.size(); ++i)
        if (targets[i].isEmpty())
            k.fail(QStringLiteral("targets[%1]").arg(i), QStringLiteral("expected a fleet name (or \"fleet/group\"), got an empty string"));
    if (order != QLatin1String("random") && order != QLatin1String("index"))
        k.fail(QStringLiteral("order"), QStringLiteral("expected \"random\" or \"index\", got \"%1\"").arg(order.left(40)));
    checkRollout(*this, k);
    checkAbortTimeoutRetries(*this, k);
    checkScheduling(scheduling, k);
    checkGroupsPhases(*this, k);
    if (k.failed())
        return fail(k.error());
    return {};
}

QString failureTypeName(FailureType type)
{
    return QString::fromLatin1(kFailureTypeNames[static_cast<std::size_t>(type)]);
}

std::optional<FailureType> failureTypeFromName(const QString& name)
{
    for (std::size_t i = 0; i < kFailureTypeNames.size(); ++i)
        if (name == QLatin1String(kFailureTypeNames[i]))
            return static_cast<FailureType>(i);
    return std::nullopt;
}

} // namespace otalab::sim::rollout
