// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/multicastsetup.h"

#include "core/lorawan/command_reader.h"

namespace otalab::core::lorawan::multicastsetup {
namespace {

using detail::CommandReader;
using detail::putLe;
using detail::rangeError;

using detail::Overloaded;

constexpr std::uint32_t kMaxFrequencyHz = 0xffffffu * 100u;  // u24 in 100 Hz units

std::optional<Error> checkGroup(const QString& command, std::uint8_t id)
{
    if (id > 3)
        return rangeError(command + QStringLiteral(".McGroupID"), 2, id);
    return std::nullopt;
}

std::optional<Error> checkFrequency(const QString& command, std::uint32_t hz)
{
    if (hz % 100 != 0)
        return Error::at(-1, command + QStringLiteral(".DLFrequency"),
                         QStringLiteral("%1 Hz is not a multiple of 100 Hz (sent in 100 Hz units)").arg(hz));
    if (hz > kMaxFrequencyHz)
        return Error::at(-1, command + QStringLiteral(".DLFrequency"),
                         QStringLiteral("%1 Hz does not fit 24 bits of 100 Hz units (max %2 Hz)").arg(hz).arg(kMaxFrequencyHz));
    return std::nullopt;
}

void encodeSessionAns(QByteArray& out, std::uint8_t cid, const McSessionAnsFields& a, const QString& name,
                      std::optional<Error>& error)
{
    if ((error = checkGroup(name, a.mcGroupId)))
        return;
    if (a.hasError() == a.timeToStart.has_value()) {
        error = Error::at(-1, name + QStringLiteral(".TimeToStart"),
                          a.hasError() ? QStringLiteral("must be absent when an error bit is set")
                                       : QStringLiteral("is required when no error bit is set"));
        return;
    }
    if (a.timeToStart && *a.timeToStart > 0xffffff) {
        error = rangeError(name + QStringLiteral(".TimeToStart"), 24, *a.timeToStart);
        return;
    }
    out.append(char(cid));
    out.append(char(a.mcGroupId | (a.drError ? 0x04 : 0) | (a.freqError ? 0x08 : 0) | (a.mcGroupUndefined ? 0x10 : 0)));
    if (a.timeToStart)
        putLe(out, *a.timeToStart, 3);
}

void parseSessionAns(CommandReader& r, McSessionAnsFields& a, const QString& name)
{
    const std::uint8_t status = r.u8(name + QStringLiteral(".Status"));
    a.mcGroupId = status & 0x03;
    a.drError = status & 0x04;
    a.freqError = status & 0x08;
    a.mcGroupUndefined = status & 0x10;
    if (!a.hasError())
        a.timeToStart = r.u24(name + QStringLiteral(".TimeToStart"));
}

AesKey deriveKey(const AesKey& key, std::uint8_t tag, std::optional<std::uint32_t> addr = std::nullopt)
{
    AesBlock b{};
    b[0] = tag;
    if (addr)
        for (int i = 0; i < 4; ++i)
            b[size_t(1 + i)] = std::uint8_t(*addr >> (8 * i));
    return aes128Encrypt(key, b);
}

} // namespace

Direction directionOf(const Command& c)
{
    return std::visit(Overloaded{
                          [](const PackageVersionAns&) { return Direction::Uplink; },
                          [](const McGroupStatusAns&) { return Direction::Uplink; },
                          [](const McGroupSetupAns&) { return Direction::Uplink; },
                          [](const McGroupDeleteAns&) { return Direction::Uplink; },
                          [](const McClassCSessionAns&) { return Direction::Uplink; },
                          [](const McClassBSessionAns&) { return Direction::Uplink; },
                          [](const auto&) { return Direction::Downlink; },
                      },
                      c);
}

QString commandName(const Command& c)
{
    static const char* const names[] = {"PackageVersionReq",  "PackageVersionAns",  "McGroupStatusReq", "McGroupStatusAns",
                                        "McGroupSetupReq",    "McGroupSetupAns",    "McGroupDeleteReq", "McGroupDeleteAns",
                                        "McClassCSessionReq", "McClassCSessionAns", "McClassBSessionReq", "McClassBSessionAns"};
    static_assert(std::size(names) == std::variant_size_v<Command>);
    return QString::fromLatin1(names[c.index()]);
}

Result<QByteArray> encodeCommand(const Command& command)
{
    QByteArray out;
    std::optional<Error> error;
    const QString name = commandName(command);
    std::visit(Overloaded{
                   [&](const PackageVersionReq&) { out.append(char(0x00)); },
                   [&](const PackageVersionAns& c) {
                       out.append(char(0x00));
                       out.append(char(c.packageIdentifier));
                       out.append(char(c.packageVersion));
                   },
                   [&](const McGroupStatusReq& c) {
                       if (c.reqGroupMask > 0x0f)
                           return void(error = rangeError(name + QStringLiteral(".ReqGroupMask"), 4, c.reqGroupMask));
                       out.append(char(0x01));
                       out.append(char(c.reqGroupMask));
                   },
                   [&](const McGroupStatusAns& c) {
                       if (c.nbTotalGroups > 7)
                           return void(error = rangeError(name + QStringLiteral(".NbTotalGroups"), 3, c.nbTotalGroups));
                       std::uint8_t mask = 0;
                       for (const McGroupStatusItem& g : c.groups) {
                           if ((error = checkGroup(name, g.mcGroupId)))
                               return;
                           if (mask >> g.mcGroupId)
                               return void(error = Error::at(-1, name + QStringLiteral(".McGroupID"),
                                                             QStringLiteral("groups must be listed once each in ascending order, "
                                                                            "group %1 comes too late").arg(g.mcGroupId)));
                           mask |= std::uint8_t(1u << g.mcGroupId);
                       }
                       out.append(char(0x01));
                       out.append(char(c.nbTotalGroups << 4 | mask));
                       for (const McGroupStatusItem& g : c.groups) {
                           out.append(char(g.mcGroupId));
                           putLe(out, g.mcAddr, 4);
                       }
                   },
                   [&](const McGroupSetupReq& c) {
                       if ((error = checkGroup(name, c.mcGroupId)))
                           return;
                       out.append(char(0x02));
                       out.append(char(c.mcGroupId));
                       putLe(out, c.mcAddr, 4);
                       out += keyBytes(c.mcKeyEncrypted);
                       putLe(out, c.minMcFCnt, 4);
                       putLe(out, c.maxMcFCnt, 4);
                   },
                   [&](const McGroupSetupAns& c) {
                       if ((error = checkGroup(name, c.mcGroupId)))
                           return;
                       out.append(char(0x02));
                       out.append(char(c.mcGroupId | (c.idError ? 0x04 : 0)));
                   },
                   [&](const McGroupDeleteReq& c) {
                       if ((error = checkGroup(name, c.mcGroupId)))
                           return;
                       out.append(char(0x03));
                       out.append(char(c.mcGroupId));
                   },
                   [&](const McGroupDeleteAns& c) {
                       if ((error = checkGroup(name, c.mcGroupId)))
                           return;
                       out.append(char(0x03));
                       out.append(char(c.mcGroupId | (c.mcGroupUndefined ? 0x04 : 0)));
                   },
                   [&](const McClassCSessionReq& c) {
                       if ((error = checkGroup(name, c.mcGroupId)) || (error = checkFrequency(name, c.dlFrequencyHz)))
                           return;
                       if (c.sessionTimeOut > 0x0f)
                           return void(error = rangeError(name + QStringLiteral(".SessionTimeOut"), 4, c.sessionTimeOut));
                       out.append(char(0x04));
                       out.append(char(c.mcGroupId));
                       putLe(out, c.sessionTime, 4);
                       out.append(char(c.sessionTimeOut));
                       putLe(out, c.dlFrequencyHz / 100, 3);
                       out.append(char(c.dataRate));
                   },
                   [&](const McClassCSessionAns& c) { encodeSessionAns(out, 0x04, c, name, error); },
                   [&](const McClassBSessionReq& c) {
                       if ((error = checkGroup(name, c.mcGroupId)) || (error = checkFrequency(name, c.dlFrequencyHz)))
                           return;
                       if (c.timeOut > 0x0f)
                           return void(error = rangeError(name + QStringLiteral(".TimeOut"), 4, c.timeOut));
                       if (c.periodicity > 0x07)
                           return void(error = rangeError(name + QStringLiteral(".Periodicity"), 3, c.periodicity));
                       out.append(char(0x05));
                       out.append(char(c.mcGroupId));
                       putLe(out, c.sessionTime, 4);
                       out.append(char(c.periodicity << 4 | c.timeOut));
                       putLe(out, c.dlFrequencyHz / 100, 3);
                       out.append(char(c.dataRate));
                   },
                   [&](const McClassBSessionAns& c) { encodeSessionAns(out, 0x05, c, name, error); },
               },
               command);
    if (error)
        return fail(*error);
    return out;
}

Result<QByteArray> encodeCommands(const std::vector<Command>& commands)
{
    return detail::encodeEach(commands, [](const Command& c) { return encodeCommand(c); });
}

Result<std::vector<Command>> parseCommands(Direction direction, QByteArrayView payload)
{
    std::vector<Command> commands;
    CommandReader r(payload);
    const bool up = direction == Direction::Uplink;
    while (!r.atEnd()) {
        const qsizetype at = r.pos();
        const std::uint8_t cid = r.u8(QStringLiteral("CID"));
        if (!up && cid == 0x00) {
            commands.push_back(PackageVersionReq{});
        } else if (up && cid == 0x00) {
            PackageVersionAns c;
            c.packageIdentifier = r.u8(QStringLiteral("PackageVersionAns.PackageIdentifier"));
            c.packageVersion = r.u8(QStringLiteral("PackageVersionAns.PackageVersion"));
            commands.push_back(c);
        } else if (!up && cid == 0x01) {
            commands.push_back(McGroupStatusReq{std::uint8_t(r.u8(QStringLiteral("McGroupStatusReq.CmdMask")) & 0x0f)});
        } else if (up && cid == 0x01) {
            McGroupStatusAns c;
            const std::uint8_t status = r.u8(QStringLiteral("McGroupStatusAns.Status"));
            c.nbTotalGroups = (status >> 4) & 0x07;
            for (std::uint8_t id = 0; id < 4 && !r.failed(); ++id) {
                if (!(status & (1u << id)))
                    continue;
                const qsizetype itemAt = r.pos();
                McGroupStatusItem g;
                g.mcGroupId = r.u8(QStringLiteral("McGroupStatusAns.McGroupID")) & 0x03;
                g.mcAddr = r.u32(QStringLiteral("McGroupStatusAns.McAddr"));
                if (!r.failed() && g.mcGroupId != id)
                    r.setError(Error::at(itemAt, QStringLiteral("McGroupStatusAns.McGroupID"),
                                         QStringLiteral("AnsGroupMask 0x%1 says group %2 comes next, the item is for group %3")
                                             .arg(status & 0x0f, 1, 16).arg(id).arg(g.mcGroupId)));
                c.groups.push_back(g);
            }
            commands.push_back(c);
        } else if (!up && cid == 0x02) {
            McGroupSetupReq c;
            c.mcGroupId = r.u8(QStringLiteral("McGroupSetupReq.McGroupIDHeader")) & 0x03;
            c.mcAddr = r.u32(QStringLiteral("McGroupSetupReq.McAddr"));
            c.mcKeyEncrypted = r.key(QStringLiteral("McGroupSetupReq.McKey_encrypted"));
            c.minMcFCnt = r.u32(QStringLiteral("McGroupSetupReq.minMcFCnt"));
            c.maxMcFCnt = r.u32(QStringLiteral("McGroupSetupReq.maxMcFCnt"));
            commands.push_back(c);
        } else if (up && cid == 0x02) {
            const std::uint8_t b = r.u8(QStringLiteral("McGroupSetupAns.McGroupIDHeader"));
            commands.push_back(McGroupSetupAns{std::uint8_t(b & 0x03), bool(b & 0x04)});
        } else if (!up && cid == 0x03) {
            commands.push_back(McGroupDeleteReq{std::uint8_t(r.u8(QStringLiteral("McGroupDeleteReq.McGroupIDHeader")) & 0x03)});
        } else if (up && cid == 0x03) {
            const std::uint8_t b = r.u8(QStringLiteral("McGroupDeleteAns.Status"));
            commands.push_back(McGroupDeleteAns{std::uint8_t(b & 0x03), bool(b & 0x04)});
        } else if (!up && cid == 0x04) {
            McClassCSessionReq c;
            c.mcGroupId = r.u8(QStringLiteral("McClassCSessionReq.McGroupIDHeader")) & 0x03;
            c.sessionTime = r.u32(QStringLiteral("McClassCSessionReq.SessionTime"));
            c.sessionTimeOut = r.u8(QStringLiteral("McClassCSessionReq.SessionTimeOut")) & 0x0f;
            c.dlFrequencyHz = r.u24(QStringLiteral("McClassCSessionReq.DLFrequency")) * 100;
            c.dataRate = r.u8(QStringLiteral("McClassCSessionReq.DR"));
            commands.push_back(c);
        } else if (up && cid == 0x04) {
            McClassCSessionAns c;
            parseSessionAns(r, c, QStringLiteral("McClassCSessionAns"));
            commands.push_back(c);
        } else if (!up && cid == 0x05) {
            McClassBSessionReq c;
            c.mcGroupId = r.u8(QStringLiteral("McClassBSessionReq.McGroupIDHeader")) & 0x03;
            c.sessionTime = r.u32(QStringLiteral("McClassBSessionReq.SessionTime"));
            const std::uint8_t tp = r.u8(QStringLiteral("McClassBSessionReq.TimeOutPeriodicity"));
            c.timeOut = tp & 0x0f;
            c.periodicity = (tp >> 4) & 0x07;
            c.dlFrequencyHz = r.u24(QStringLiteral("McClassBSessionReq.DLFrequency")) * 100;
            c.dataRate = r.u8(QStringLiteral("McClassBSessionReq.DR"));
            commands.push_back(c);
        } else if (up && cid == 0x05) {
            McClassBSessionAns c;
            parseSessionAns(r, c, QStringLiteral("McClassBSessionAns"));
            commands.push_back(c);
        } else {
            r.setError(Error::at(at, QStringLiteral("CID"), QStringLiteral("0x%1 is not a remote multicast setup %2 command (port 200)")
                                                                .arg(cid, 2, 16, QLatin1Char('0')).arg(directionName(direction))));
        }
        if (r.failed())
            return fail(r.error());
    }
    return commands;
}

Result<std::uint32_t> reconstructMcFCnt(std::uint16_t wire, std::optional<std::uint32_t> last, const McGroupSetupReq& group)
{
    // Before the first frame, read the wire bits as the first counter at or after the window start.
    std::optional<std::uint32_t> anchor = last;
    if (!anchor && group.minMcFCnt > 0)
        anchor = group.minMcFCnt - 1;
    Result<std::uint32_t> full = anchor ? reconstructFCnt(wire, anchor) : Result<std::uint32_t>(std::uint32_t(wire));
    if (!full)
        return full;
    const QString window = QStringLiteral("[%1, %2]").arg(group.minMcFCnt).arg(group.maxMcFCnt);
    if (*full < group.minMcFCnt)
        return fail(Error::at(6, QStringLiteral("FHDR.FCnt"),
                              QStringLiteral("multicast FCnt %1 is before the group's window %2").arg(*full).arg(window)));
    if (*full > group.maxMcFCnt)
        return fail(Error::at(6, QStringLiteral("FHDR.FCnt"),
                              QStringLiteral("multicast FCnt %1 is past the group's window %2: the group has expired").arg(*full).arg(window)));
    return full;
}

AesKey mcRootKeyFromGenAppKey(const AesKey& genAppKey) { return deriveKey(genAppKey, 0x00); }
AesKey mcRootKeyFromAppKey11(const AesKey& appKey) { return deriveKey(appKey, 0x20); }
AesKey mcKEKey(const AesKey& mcRootKey) { return deriveKey(mcRootKey, 0x00); }
AesKey encryptMcKey(const AesKey& kek, const AesKey& mcKey) { return aes128Decrypt(kek, mcKey); }
AesKey decryptMcKey(const AesKey& kek, const AesKey& mcKeyEncrypted) { return aes128Encrypt(kek, mcKeyEncrypted); }
AesKey mcAppSKey(const AesKey& mcKey, std::uint32_t mcAddr) { return deriveKey(mcKey, 0x01, mcAddr); }
AesKey mcNwkSKey(const AesKey& mcKey, std::uint32_t mcAddr) { return deriveKey(mcKey, 0x02, mcAddr); }

SessionKeys multicastSessionKeys(const AesKey& mcKey, std::uint32_t mcAddr)
{
    return SessionKeys{mcNwkSKey(mcKey, mcAddr), mcAppSKey(mcKey, mcAddr)};
}

} // namespace otalab::core::lorawan::multicastsetup
