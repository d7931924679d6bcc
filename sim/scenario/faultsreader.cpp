// SPDX-License-Identifier: Apache-2.0
#include "sim/scenario/faultsreader.h"

#include "sim/scenario/jsonfieldreader.h"

#include <QSet>
#include <QStringList>

#include <cmath>

namespace otalab::sim {

using namespace faults;

namespace {

constexpr double kMaxS = 1e9;                  // longest time accepted (as kMaxDurationS)
constexpr std::int64_t kMaxDevices = 100'000'000;  // far above any fleet: keeps draws bounded
constexpr std::int64_t kMaxWrites = 1'000'000'000;

QString fault(FaultKind k) { return faultKindName(k); }

bool isDeviceFault(FaultKind k)
{
    return k == FaultKind::PowerLoss || k == FaultKind::LinkOutage || k == FaultKind::ClockJump || k == FaultKind::BadImage;
}

QString faultKindList()
{
    QStringList names;
    for (int i = 0; i < kFaultKindCount; ++i)
        names << faultKindName(FaultKind(i));
    return names.join(QStringLiteral(", "));
}

QString attackKindList()
{
    QStringList names;
    for (int i = 0; i < kAttackKindCount; ++i)
        names << attackKindName(AttackKind(i));
    return names.join(QStringLiteral(", "));
}

// "devices" | "count" | "share": at most one.
void readSelection(JsonFieldReader& r, DeviceSelection& out)
{
    const char* given = nullptr;
    for (const char* key : {"devices", "count", "share"}) {
        if (!r.contains(key))
            continue;
        if (given) {
            r.fail(r.pathOf(QLatin1String(key)),
                   QStringLiteral("\"%1\" and \"%2\" both given: choose devices by one of devices, count or share")
                       .arg(QLatin1String(given), QLatin1String(key)));
            return;
        }
        given = key;
    }
    if (const auto list = r.array("devices")) {
        const QString path = r.pathOf(QStringLiteral("devices"));
        if (list->isEmpty()) {
            r.fail(path, QStringLiteral("expected at least one device index (omit \"devices\" for every device)"));
            return;
        }
        QSet<int> seen;
        for (qsizetype i = 0; i < list->size(); ++i) {
            const QJsonValue v = list->at(i);
            const double d = v.toDouble(-1);
            if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || d < 0 || d >= double(kMaxDevices)) {
                r.fail(QStringLiteral("%1[%2]").arg(path).arg(i),
                       QStringLiteral("expected a device index (an integer ≥ 0), got %1").arg(JsonFieldReader::describe(v)));
                return;
            }
            if (seen.contains(int(d))) {
                r.fail(QStringLiteral("%1[%2]").arg(path).arg(i), QStringLiteral("device %1 listed twice").arg(int(d)));
                return;
            }
            seen.insert(int(d));
            out.devices.push_back(int(d));
        }
    }
    r.integer("count", out.count, 1, kMaxDevices);
    r.number("share", out.share, 0.0, 1.0, true);
}

// The moment: at most one form. `conditions`: atFlashWrite / atProgress are keys here.
void readWhen(JsonFieldReader& r, FaultWhen& out, bool conditions)
{
    const char* given = nullptr;
    for (const char* key : {"atS", "betweenS", "atFlashWrite", "atProgress"}) {
        if ((!conditions && (key[2] == 'F' || key[2] == 'P')) || !r.contains(key))
            continue;
        if (given) {
            r.fail(r.pathOf(QLatin1String(key)),
                   QStringLiteral("\"%1\" and \"%2\" both given: a fault has one moment (atS, betweenS, atFlashWrite or atProgress)")
                       .arg(QLatin1String(given), QLatin1String(key)));
            return;
        }
        given = key;
    }
    r.number("atS", out.atS, 0.0, kMaxS);
    if (const auto pair = r.array("betweenS")) {
        const QString path = r.pathOf(QStringLiteral("betweenS"));
        const auto number = [](const QJsonValue& v) { return v.isDouble() && std::isfinite(v.toDouble()) && v.toDouble() >= 0 && v.toDouble() <= kMaxS; };
        if (pair->size() != 2 || !number(pair->at(0)) || !number(pair->at(1))) {
            r.fail(path, QStringLiteral("expected [a, b]: two numbers of seconds in [0, %1]").arg(kMaxS));
            return;
        }
        const double a = pair->at(0).toDouble(), b = pair->at(1).toDouble();
        if (a > b) {
            r.fail(path, QStringLiteral("a must be ≤ b, got [%1, %2]").arg(a).arg(b));
            return;
        }
        out.betweenS = std::pair{a, b};
    }
    if (!conditions)
        return;
    if (r.contains("atFlashWrite")) {
        std::int64_t k = 1;
        r.integer("atFlashWrite", k, 1, kMaxWrites);
        out.atFlashWrite = int(k);
    }
    if (const auto v = r.value("atProgress")) {
        const double p = v->toDouble(-1);
        if (!v->isDouble() || !std::isfinite(p) || p <= 0 || p >= 1) {
            r.fail(r.pathOf(QStringLiteral("atProgress")),
                   QStringLiteral("expected a share of the image strictly between 0 and 1, got %1").arg(JsonFieldReader::describe(*v)));
            return;
        }
        out.atProgress = p;
    }
}

// Key-by-kind rules once a fault is read (`has(key)`: the key was in the object).
void checkFaultKeys(JsonFieldReader& r, const FaultSpec& f, const QJsonObject& o)
{
    const auto has = [&](const char* key) { return o.contains(QLatin1String(key)); };
    const QString k = fault(f.kind);
    if (!isDeviceFault(f.kind)) {
        for (const char* key : {"devices", "count", "share"})
            if (has(key))
                return r.fail(r.pathOf(QLatin1String(key)),
                              QStringLiteral("a %1 hits a node (\"target\"), not devices: remove \"%2\"").arg(k, QLatin1String(key)));
        for (const char* key : {"atFlashWrite", "atProgress"})
            if (has(key))
                return r.fail(r.pathOf(QLatin1String(key)),
                              QStringLiteral("\"%1\" is a device's moment; a %2 hits a node: use atS or betweenS").arg(QLatin1String(key), k));
    } else if (has("target")) {
        return r.fail(r.pathOf(QStringLiteral("target")),
                      QStringLiteral("\"target\" names the node of a serverCrash or gatewayOutage; a %1 hits devices (devices, count or share)").arg(k));
    }
    if (has("jumpS") && f.kind != FaultKind::ClockJump)
        return r.fail(r.pathOf(QStringLiteral("jumpS")), QStringLiteral("\"jumpS\" is for clockJump only, not %1").arg(k));
    if (f.kind == FaultKind::ClockJump && !has("jumpS"))
        return r.fail(r.pathOf(QStringLiteral("jumpS")), QStringLiteral("missing: a clockJump needs jumpS (seconds, negative: back)"));
    if (has("variant") && f.kind != FaultKind::BadImage)
        return r.fail(r.pathOf(QStringLiteral("variant")), QStringLiteral("\"variant\" is for badImage only, not %1").arg(k));
    if (has("permanent") && f.kind != FaultKind::GatewayOutage)
        return r.fail(r.pathOf(QStringLiteral("permanent")), QStringLiteral("\"permanent\" is for gatewayOutage only, not %1").arg(k));
    if (f.permanent && has("forS"))
        return r.fail(r.pathOf(QStringLiteral("forS")), QStringLiteral("a permanent gatewayOutage never ends: remove \"forS\""));
    if (has("forS") && (f.kind == FaultKind::ClockJump || f.kind == FaultKind::BadImage))
        return r.fail(r.pathOf(QStringLiteral("forS")), QStringLiteral("a %1 has no duration: remove \"forS\"").arg(k));
    if (f.kind == FaultKind::BadImage && f.when.any())
        for (const char* key : {"atS", "betweenS", "atFlashWrite", "atProgress"})
            if (has(key))
                return r.fail(r.pathOf(QLatin1String(key)),
                              QStringLiteral("a badImage is the image the devices get, it has no moment: remove \"%1\"").arg(QLatin1String(key)));
}

void readFault(JsonFieldReader& r, const QJsonObject& o, qsizetype index, FaultSpec& f)
{
    f.id = QStringLiteral("faults[%1]").arg(index);
    r.text("id", f.id);
    if (const auto kind = r.value("kind")) {
        const auto parsed = kind->isString() ? parseFaultKind(kind->toString()) : std::nullopt;
        if (!parsed)
            return r.fail(r.pathOf(QStringLiteral("kind")), QStringLiteral("unknown kind %1; expected one of: %2")
                                                                .arg(JsonFieldReader::describe(*kind), faultKindList()));
        f.kind = *parsed;
    } else {
        return r.fail(r.pathOf(QStringLiteral("kind")), QStringLiteral("missing: expected one of: %1").arg(faultKindList()));
    }
    r.text("fleet", f.fleet);
    readSelection(r, f.select);
    r.text("target", f.target);
    readWhen(r, f.when, true);
    r.number("forS", f.forS, 0.0, kMaxS);
    if (r.contains("jumpS")) {
        const QJsonValue v = o.value(QLatin1String("jumpS"));
        const double j = v.toDouble(0);
        if (!v.isDouble() || !std::isfinite(j) || j == 0 || std::abs(j) > kMaxS)
            return r.fail(r.pathOf(QStringLiteral("jumpS")),
                          QStringLiteral("expected a non-zero number of seconds in [-%1, %1], got %2").arg(kMaxS).arg(JsonFieldReader::describe(v)));
        f.jumpS = j;
    }
    r.choice("variant", f.variant, {{"failsSelfTest", BadImageVariant::FailsSelfTest}, {"doesNotBoot", BadImageVariant::DoesNotBoot}});
    r.boolean("permanent", f.permanent);
    r.finish();
    if (!r.failed())
        checkFaultKeys(r, f, o);
}

void readAttack(JsonFieldReader& r, qsizetype index, AttackSpec& a)
{
    a.id = QStringLiteral("attacks[%1]").arg(index);
    r.text("id", a.id);
    if (const auto kind = r.value("attack")) {
        const auto parsed = kind->isString() ? parseAttackKind(kind->toString()) : std::nullopt;
        if (!parsed)
            return r.fail(r.pathOf(QStringLiteral("attack")), QStringLiteral("unknown attack %1; expected one of: %2")
                                                                  .arg(JsonFieldReader::describe(*kind), attackKindList()));
        a.kind = *parsed;
    } else {
        return r.fail(r.pathOf(QStringLiteral("attack")), QStringLiteral("missing: expected one of: %1").arg(attackKindList()));
    }
    r.text("fleet", a.fleet);
    readSelection(r, a.select);
    readWhen(r, a.when, false);
    r.finish();
}

// `value` must be an array of objects (or undefined); `read(reader, object, index)` each.
template <typename Read>
void readList(const QJsonValue& value, const char* key, std::optional<Error>& sink, Read&& read)
{
    if (value.isUndefined())
        return;
    const QString path = QStringLiteral("$.") + QLatin1String(key);
    if (!value.isArray())
        return recordScenarioError(sink, path, QStringLiteral("expected an array, got %1").arg(JsonFieldReader::describe(value)));
    const QJsonArray list = value.toArray();
    for (qsizetype i = 0; i < list.size() && !sink; ++i) {
        const QString at = QStringLiteral("%1[%2]").arg(path).arg(i);
        if (!list.at(i).isObject())
            return recordScenarioError(sink, at, QStringLiteral("expected an object, got %1").arg(JsonFieldReader::describe(list.at(i))));
        JsonFieldReader r(list.at(i).toObject(), at, sink);
        read(r, list.at(i).toObject(), i);
    }
}

template <typename Spec>
void checkUniqueIds(const std::vector<Spec>& specs, const char* key, std::optional<Error>& sink)
{
    QSet<QString> ids;
    for (std::size_t i = 0; i < specs.size() && !sink; ++i) {
        if (ids.contains(specs[i].id))
            recordScenarioError(sink, QStringLiteral("$.%1[%2].id").arg(QLatin1String(key)).arg(i),
                                QStringLiteral("id \"%1\" used twice: ids must be unique").arg(specs[i].id.left(60)));
        ids.insert(specs[i].id);
    }
}

void writeSelection(const DeviceSelection& s, QJsonObject& o)
{
    if (!s.devices.empty()) {
        QJsonArray list;
        for (int d : s.devices)
            list.append(d);
        o.insert(QStringLiteral("devices"), list);
    }
    if (s.count > 0)
        o.insert(QStringLiteral("count"), s.count);
    if (s.share > 0)
        o.insert(QStringLiteral("share"), s.share);
}

void writeWhen(const FaultWhen& w, QJsonObject& o)
{
    if (w.atS)
        o.insert(QStringLiteral("atS"), *w.atS);
    if (w.betweenS)
        o.insert(QStringLiteral("betweenS"), QJsonArray{w.betweenS->first, w.betweenS->second});
    if (w.atFlashWrite)
        o.insert(QStringLiteral("atFlashWrite"), *w.atFlashWrite);
    if (w.atProgress)
        o.insert(QStringLiteral("atProgress"), *w.atProgress);
}

} // namespace

Result<FaultsConfig> readScenarioFaults(const QJsonValue& faultsValue, const QJsonValue& attacksValue)
{
    std::optional<Error> sink;
    FaultsConfig config;
    readList(faultsValue, "faults", sink, [&](JsonFieldReader& r, const QJsonObject& o, qsizetype i) {
        FaultSpec f;
        readFault(r, o, i, f);
        config.faults.push_back(std::move(f));
    });
    readList(attacksValue, "attacks", sink, [&](JsonFieldReader& r, const QJsonObject&, qsizetype i) {
        AttackSpec a;
        readAttack(r, i, a);
        config.attacks.push_back(std::move(a));
    });
    checkUniqueIds(config.faults, "faults", sink);
    checkUniqueIds(config.attacks, "attacks", sink);
    if (sink)
        return fail(*sink);
    return config;
}

QJsonArray faultsToJson(const FaultsConfig& config)
{
    QJsonArray out;
    for (const FaultSpec& f : config.faults) {
        QJsonObject o{{QStringLiteral("id"), f.id}, {QStringLiteral("kind"), faultKindName(f.kind)}};
        if (!f.fleet.isEmpty())
            o.insert(QStringLiteral("fleet"), f.fleet);
        writeSelection(f.select, o);
        if (!f.target.isEmpty())
            o.insert(QStringLiteral("target"), f.target);
        writeWhen(f.when, o);
        if (f.forS > 0)
            o.insert(QStringLiteral("forS"), f.forS);
        if (f.kind == FaultKind::ClockJump)
            o.insert(QStringLiteral("jumpS"), f.jumpS);
        if (f.kind == FaultKind::BadImage)
            o.insert(QStringLiteral("variant"), badImageVariantName(f.variant));
        if (f.permanent)
            o.insert(QStringLiteral("permanent"), true);
        out.append(o);
    }
    return out;
}

QJsonArray attacksToJson(const FaultsConfig& config)
{
    QJsonArray out;
    for (const AttackSpec& a : config.attacks) {
        QJsonObject o{{QStringLiteral("id"), a.id}, {QStringLiteral("attack"), attackKindName(a.kind)}};
        if (!a.fleet.isEmpty())
            o.insert(QStringLiteral("fleet"), a.fleet);
        writeSelection(a.select, o);
        writeWhen(a.when, o);
        out.append(o);
    }
    return out;
}

void insertScenarioFaults(const FaultsConfig& config, QJsonObject& top)
{
    if (!config.faults.empty())
        top.insert(QStringLiteral("faults"), faultsToJson(config));
    if (!config.attacks.empty())
        top.insert(QStringLiteral("attacks"), attacksToJson(config));
}

} // namespace otalab::sim
