// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/packagecommands.h"
#include "core/lorawan/command_reader.h"

namespace otalab::core::lorawan {
namespace {

using detail::Overloaded;

QString flag(bool on, const char* name) { return on ? QStringLiteral(" ") + QLatin1String(name) : QString(); }
QString hex32(std::uint32_t v) { return QStringLiteral("%1").arg(v, 8, 16, QLatin1Char('0')); }
QString bytesHex(const void* p, int n) { return QString::fromLatin1(QByteArray(static_cast<const char*>(p), n).toHex()); }

QString describeInner(const clocksync::Command& c)
{
    using namespace clocksync;
    return std::visit(Overloaded{
        [](const PackageVersionReq&) { return QString(); },
        [](const PackageVersionAns& a) { return QStringLiteral(" package=%1 version=%2").arg(a.packageIdentifier).arg(a.packageVersion); },
        [](const AppTimeReq& r) { return QStringLiteral(" deviceTime=%1 token=%2").arg(r.deviceTime).arg(r.tokenReq) + flag(r.ansRequired, "ansRequired"); },
        [](const AppTimeAns& a) { return QStringLiteral(" correction=%1s token=%2").arg(a.timeCorrection).arg(a.tokenAns); },
        [](const DeviceAppTimePeriodicityReq& r) { return QStringLiteral(" period=%1s").arg(periodicitySeconds(r.period)); },
        [](const DeviceAppTimePeriodicityAns& a) { return QStringLiteral(" time=%1").arg(a.time) + flag(a.notSupported, "notSupported"); },
        [](const ForceDeviceResyncReq& r) { return QStringLiteral(" nbTransmissions=%1").arg(r.nbTransmissions); },
    }, c);
}

QString describeSessionAns(const multicastsetup::McSessionAnsFields& a)
{
    QString s = QStringLiteral(" group=%1").arg(a.mcGroupId) + flag(a.mcGroupUndefined, "groupUndefined") + flag(a.freqError, "freqError")
                + flag(a.drError, "drError");
    if (a.timeToStart)
        s += QStringLiteral(" timeToStart=%1s").arg(*a.timeToStart);
    return s;
}

QString describeInner(const multicastsetup::Command& c)
{
    using namespace multicastsetup;
    return std::visit(Overloaded{
        [](const PackageVersionReq&) { return QString(); },
        [](const PackageVersionAns& a) { return QStringLiteral(" package=%1 version=%2").arg(a.packageIdentifier).arg(a.packageVersion); },
        [](const McGroupStatusReq& r) { return QStringLiteral(" mask=0x%1").arg(r.reqGroupMask, 1, 16); },
        [](const McGroupStatusAns& a) {
            QString s = QStringLiteral(" total=%1").arg(a.nbTotalGroups);
            for (const auto& g : a.groups)
                s += QStringLiteral(" group%1=%2").arg(g.mcGroupId).arg(hex32(g.mcAddr));
            return s;
        },
        [](const McGroupSetupReq& r) {
            return QStringLiteral(" group=%1 mcAddr=%2 mcKeyEncrypted=%3 fCnt=%4..%5")
                .arg(r.mcGroupId).arg(hex32(r.mcAddr), formatKey(r.mcKeyEncrypted)).arg(r.minMcFCnt).arg(r.maxMcFCnt);
        },
        [](const McGroupSetupAns& a) { return QStringLiteral(" group=%1").arg(a.mcGroupId) + flag(a.idError, "idError"); },
        [](const McGroupDeleteReq& r) { return QStringLiteral(" group=%1").arg(r.mcGroupId); },
        [](const McGroupDeleteAns& a) { return QStringLiteral(" group=%1").arg(a.mcGroupId) + flag(a.mcGroupUndefined, "groupUndefined"); },
        [](const McClassCSessionReq& r) {
            return QStringLiteral(" group=%1 sessionTime=%2 timeout=2^%3s freq=%4Hz dr=%5")
                .arg(r.mcGroupId).arg(r.sessionTime).arg(r.sessionTimeOut).arg(r.dlFrequencyHz).arg(r.dataRate);
        },
        [](const McClassCSessionAns& a) { return describeSessionAns(a); },
        [](const McClassBSessionReq& r) {
            return QStringLiteral(" group=%1 sessionTime=%2 timeout=2^%3 periodicity=2^%4s freq=%5Hz dr=%6")
                .arg(r.mcGroupId).arg(r.sessionTime).arg(r.timeOut).arg(r.periodicity).arg(r.dlFrequencyHz).arg(r.dataRate);
        },
        [](const McClassBSessionAns& a) { return describeSessionAns(a); },
    }, c);
}

QString describeInner(const fragmentation::Command& c)
{
    using namespace fragmentation;
    return std::visit(Overloaded{
        [](const PackageVersionReq&) { return QString(); },
        [](const PackageVersionAns& a) { return QStringLiteral(" package=%1 version=%2").arg(a.packageIdentifier).arg(a.packageVersion); },
        [](const FragSessionStatusReq& r) { return QStringLiteral(" index=%1").arg(r.fragIndex) + flag(r.allParticipants, "allParticipants"); },
        [](const FragSessionStatusAns& a) {
            return QStringLiteral(" index=%1 received=%2 missing=%3").arg(a.fragIndex).arg(a.nbFragReceived).arg(a.missingFrag)
                   + flag(a.notEnoughMatrixMemory, "notEnoughMemory") + flag(a.micError, "micError")
                   + flag(a.sessionDoesNotExist, "noSession");
        },
        [](const FragSessionSetupReq& r) {
            QString s = QStringLiteral(" index=%1 groups=0x%2 nbFrag=%3 fragSize=%4 algo=%5 blockAckDelay=%6 padding=%7 descriptor=%8")
                            .arg(r.fragIndex).arg(r.mcGroupBitMask, 1, 16).arg(r.nbFrag).arg(r.fragSize).arg(r.fragAlgo)
                            .arg(r.blockAckDelay).arg(r.padding).arg(hex32(r.descriptor));
            if (r.sessionCnt || r.ackReception || r.mic != std::array<std::uint8_t, 4>{})
                s += QStringLiteral(" sessionCnt=%1 mic=%2").arg(r.sessionCnt).arg(bytesHex(r.mic.data(), 4)) + flag(r.ackReception, "ackReception");
            return s;
        },
        [](const FragSessionSetupAns& a) {
            return QStringLiteral(" index=%1").arg(a.fragIndex) + flag(a.encodingUnsupported, "encodingUnsupported")
                   + flag(a.notEnoughMemory, "notEnoughMemory") + flag(a.fragIndexUnsupported, "indexUnsupported")
                   + flag(a.wrongDescriptor, "wrongDescriptor") + flag(a.sessionCntReplay, "sessionCntReplay") + flag(a.ok(), "ok");
        },
        [](const FragSessionDeleteReq& r) { return QStringLiteral(" index=%1").arg(r.fragIndex); },
        [](const FragSessionDeleteAns& a) { return QStringLiteral(" index=%1").arg(a.fragIndex) + flag(a.sessionDoesNotExist, "noSession"); },
        [](const FragDataBlockReceivedReq& r) { return QStringLiteral(" index=%1").arg(r.fragIndex) + flag(r.micError, "micError"); },
        [](const FragDataBlockReceivedAns& a) { return QStringLiteral(" index=%1").arg(a.fragIndex); },
        [](const DataFragment& f) { return QStringLiteral(" index=%1 n=%2 bytes=%3").arg(f.fragIndex).arg(f.counter).arg(f.payload.size()); },
    }, c);
}

template <class Inner>
Result<std::vector<PackageCommand>> widen(Result<std::vector<Inner>> inner)
{
    if (!inner)
        return fail(inner.error());
    std::vector<PackageCommand> out;
    out.reserve(inner->size());
    for (auto& c : *inner)
        out.emplace_back(std::move(c));
    return out;
}

} // namespace

Result<std::vector<PackageCommand>> parsePackageCommands(std::uint8_t port, Direction direction, QByteArrayView payload,
                                                         fragmentation::Version fragVersion)
{
    switch (port) {
    case clocksync::kPort: return widen(clocksync::parseCommands(direction, payload));
    case multicastsetup::kPort: return widen(multicastsetup::parseCommands(direction, payload));
    case fragmentation::kPort: return widen(fragmentation::parseCommands(direction, payload, fragVersion));
    default: break;
    }
    return fail(Error::at(-1, QStringLiteral("FPort"),
                          QStringLiteral("port %1 carries no application-layer package (200 multicast setup, "
                                         "201 fragmentation, 202 clock sync)").arg(port)));
}

Result<QByteArray> encodePackageCommand(const PackageCommand& command, fragmentation::Version fragVersion)
{
    switch (command.index()) {
    case 0: return clocksync::encodeCommand(std::get<0>(command));
    case 1: return multicastsetup::encodeCommand(std::get<1>(command));
    default: return fragmentation::encodeCommand(std::get<2>(command), fragVersion);
    }
}

std::uint8_t portOf(const PackageCommand& command)
{
    static constexpr std::uint8_t ports[] = {clocksync::kPort, multicastsetup::kPort, fragmentation::kPort};
    return ports[command.index()];
}

QString commandName(const PackageCommand& command)
{
    return std::visit([](const auto& inner) {
        using Inner = std::decay_t<decltype(inner)>;
        if constexpr (std::is_same_v<Inner, clocksync::Command>)
            return clocksync::commandName(inner);
        else if constexpr (std::is_same_v<Inner, multicastsetup::Command>)
            return multicastsetup::commandName(inner);
        else
            return fragmentation::commandName(inner);
    }, command);
}

QString describeCommand(const PackageCommand& command)
{
    return commandName(command) + std::visit([](const auto& inner) { return describeInner(inner); }, command);
}

} // namespace otalab::core::lorawan
