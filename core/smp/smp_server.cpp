// SPDX-License-Identifier: Apache-2.0
// Request loop after smp_process_request_packet()/smp_handle_single_req(), OS group after
// os_mgmt.c (echo, reset, mcumgr params, info, bootloader info).
#include "core/smp/smp_server.h"

#include "core/smp/server_cbor.h"
#include "core/smp/smp_groups.h"

namespace otalab::core::smp {
namespace {

constexpr std::uint8_t kOpRead = 0;
constexpr std::uint8_t kOpWrite = 2;

HandlerReply mgmtError(MgmtErr rc) { return HandlerReply{int(rc), {}, {}}; }

// MCUboot's enum mcuboot_mode, as os bootloader info {"query": "mode"} reports it.
int bootloaderMode(mcuboot::BootStrategy strategy)
{
    switch (strategy) {
    case mcuboot::BootStrategy::OverwriteOnly: return 2;
    case mcuboot::BootStrategy::SwapMove: return 3;
    case mcuboot::BootStrategy::DirectXip: return 4;
    case mcuboot::BootStrategy::DirectXipWithRevert: return 5;
    }
    return -1;
}

} // namespace

SmpServer::SmpServer(mcuboot::BootLoader& board, ServerConfig config)
    : m_board(board), m_config(std::move(config)), m_images(board, m_config.image)
{
}

mcuboot::BootResult SmpServer::reboot()
{
    mcuboot::BootResult r = m_board.reboot();
    onBoardReset();
    return r;
}

void SmpServer::onBoardReset() { m_images.forgetUpload(); }

QByteArray SmpServer::responsePacket(const RequestHeader& request, const QCborMap& body) const
{
    const QByteArray payload = encodeIndefinite(body);
    const std::uint8_t version = request.version > 1 ? 1 : request.version;
    const std::uint8_t op = request.op == kOpRead ? 1 : 3;   // smp_rsp_op()
    QByteArray p;
    p.append(char((version << 3) | op));
    p.append('\0');
    p.append(char((payload.size() >> 8) & 0xff)).append(char(payload.size() & 0xff));
    p.append(char(request.group >> 8)).append(char(request.group & 0xff));
    p.append(char(request.sequence)).append(char(request.command));
    return p + payload;
}

void SmpServer::send(QByteArray packet, bool isError, ServerOutput& out)
{
    ++m_stats.responses;
    if (isError)
        ++m_stats.errorResponses;
    if (m_dropResponses > 0) {
        --m_dropResponses;
        ++m_stats.droppedResponses;
        out.log.append(QStringLiteral("fault: response of %1 bytes dropped").arg(packet.size()));
        return;
    }
    if (m_corruptResponses > 0 && packet.size() > 8) {
        --m_corruptResponses;
        ++m_stats.corruptedResponses;
        const qsizetype at = 8 + (packet.size() - 8) / 2;
        packet[at] = char(packet[at] ^ 0x55);
        out.log.append(QStringLiteral("fault: response byte %1 corrupted").arg(at));
    }
    out.responses.append(packet);
}

ServerOutput SmpServer::handle(QByteArrayView bytes)
{
    ServerOutput out;
    if (!m_board.isRunning()) {
        ++m_stats.ignoredInput;
        out.log.append(QStringLiteral("board not running: %1 bytes ignored").arg(bytes.size()));
        return out;
    }
    if (m_config.dropOversizedRequests && bytes.size() > qsizetype(m_config.bufSize)) {
        ++m_stats.ignoredInput;
        out.log.append(QStringLiteral("request of %1 bytes exceeds the %2-byte buffer: dropped")
                           .arg(bytes.size()).arg(m_config.bufSize));
        return out;
    }
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        if (bytes.size() - pos < 8) {
            ++m_stats.ignoredInput;   // MGMT_ERR_ECORRUPT without a valid header: no answer
            out.log.append(QStringLiteral("truncated SMP header: %1 bytes ignored").arg(bytes.size() - pos));
            break;
        }
        RequestHeader h;
        const auto b = [&](qsizetype i) { return std::uint8_t(bytes[pos + i]); };
        h.op = b(0) & 0x07;
        h.version = (b(0) >> 3) & 0x03;
        h.length = std::uint16_t((b(2) << 8) | b(3));
        h.group = std::uint16_t((b(4) << 8) | b(5));
        h.sequence = b(6);
        h.command = b(7);
        pos += 8;
        ++m_stats.requests;
        auto fail = [&](int rc) {
            QCborMap body;
            body.insert(QStringLiteral("rc"), rc);
            send(responsePacket(h, body), true, out);
        };
        if (bytes.size() - pos < h.length) {
            fail(int(MgmtErr::Corrupt));
            break;
        }
        const QByteArrayView payload = bytes.sliced(pos, h.length);
        if (h.op != kOpRead && h.op != kOpWrite) {
            fail(int(MgmtErr::NotSup));   // a response sent to the server
            break;
        }
        if (uploadFaultFires(h, payload, m_resetDuringUploadAt)) {
            m_resetDuringUploadAt.reset();
            m_board.powerOff();
            out.resetRequested = true;
            out.resetDelayMs = 0;
            out.log.append(QStringLiteral("fault: board reset during the upload, chunk lost"));
            return out;
        }
        if (uploadFaultFires(h, payload, m_restartUploadAt)) {
            m_restartUploadAt.reset();
            m_images.forgetUpload();
            out.log.append(QStringLiteral("fault: upload state forgotten, the board will answer off 0"));
        }
        HandlerReply reply;
        if (h.version == 0 && !m_config.supportV1)
            reply = mgmtError(MgmtErr::UnsupportedTooOld);
        else if (h.version > 1)
            reply = mgmtError(MgmtErr::UnsupportedTooNew);
        else
            reply = dispatch(h, payload, out);
        if (reply.mgmtRc == 0 && h.version == 0 && reply.groupError)
            reply.mgmtRc = int(translateToV1(reply.errorGroup, *reply.groupError));
        if (reply.mgmtRc != 0) {
            fail(reply.mgmtRc);
            break;
        }
        QByteArray packet = responsePacket(h, reply.body);
        if (packet.size() > qsizetype(m_config.bufSize)) {
            fail(int(MgmtErr::MsgSize));   // zcbor ran out of the response buffer
            break;
        }
        send(packet, reply.groupError.has_value(), out);
        pos += h.length;
    }
    return out;
}

bool SmpServer::uploadFaultFires(const RequestHeader& h, QByteArrayView payload,
                                 std::optional<std::uint32_t>& threshold) const
{
    if (!threshold || h.group != std::uint16_t(Group::Image) || h.command != image::Upload || h.op != kOpWrite)
        return false;
    BulkField fields[] = {{"off", CborKind::Uint32}};
    if (!decodeBulk(payload, fields) || !fields[0].found)
        return false;
    const auto off = std::uint32_t(fields[0].value.toInteger());
    return off != 0 && off >= *threshold;
}

HandlerReply SmpServer::dispatch(const RequestHeader& h, QByteArrayView payload, ServerOutput& out)
{
    if (h.group == std::uint16_t(Group::Os))
        return osGroup(h, payload, out);
    if (h.group == std::uint16_t(Group::Image))
        return imageGroup(h, payload);
    return mgmtError(MgmtErr::NotSup);
}

HandlerReply SmpServer::imageGroup(const RequestHeader& h, QByteArrayView payload)
{
    const bool write = h.op == kOpWrite;
    switch (h.command) {
    case image::State:
        return write ? m_images.stateWrite(payload) : m_images.stateRead();
    case image::Upload:
        return write ? m_images.upload(payload) : mgmtError(MgmtErr::NotSup);
    case image::Erase:
        return write ? m_images.erase(payload) : mgmtError(MgmtErr::NotSup);
    case image::SlotInfo:
        return write ? mgmtError(MgmtErr::NotSup) : m_images.slotInfo();
    default:
        return mgmtError(MgmtErr::NotSup);
    }
}

HandlerReply SmpServer::osGroup(const RequestHeader& h, QByteArrayView payload, ServerOutput& out)
{
    const bool write = h.op == kOpWrite;
    HandlerReply r;
    switch (h.command) {
    case os::Echo: {   // read and write both echo
        BulkField fields[] = {{"d", CborKind::Text}};
        if (!decodeBulk(payload, fields))
            return mgmtError(MgmtErr::Inval);
        r.body.insert(QStringLiteral("r"), fields[0].value.toString());
        return r;
    }
    case os::Reset:
        if (!write)
            return mgmtError(MgmtErr::NotSup);
        out.resetRequested = true;
        out.resetDelayMs = m_config.resetDelayMs;
        return r;
    case os::McumgrParams:
        if (write)
            return mgmtError(MgmtErr::NotSup);
        r.body.insert(QStringLiteral("buf_size"), qint64(m_config.bufSize));
        r.body.insert(QStringLiteral("buf_count"), qint64(m_config.bufCount));
        return r;
    case os::Info:
        return write ? mgmtError(MgmtErr::NotSup) : osInfo(payload);
    case os::BootloaderInfo:
        return write ? mgmtError(MgmtErr::NotSup) : bootloaderInfo(payload);
    default:
        return mgmtError(MgmtErr::NotSup);
    }
}

HandlerReply SmpServer::osInfo(QByteArrayView payload)
{
    BulkField fields[] = {{"format", CborKind::Text}};
    if (!decodeBulk(payload, fields))
        return mgmtError(MgmtErr::Inval);
    enum : unsigned { Kernel = 1, Node = 2, Release = 4, Version = 8, Machine = 16, Processor = 32, Platform = 64, Os = 128 };
    const QString format = fields[0].value.toString();
    unsigned mask = 0;
    int valid = 0;
    for (QChar c : format) {
        switch (c.toLatin1()) {
        case 'a': mask = Kernel | Node | Release | Version | Machine | Processor | Platform | Os; ++valid; break;
        case 's': mask |= Kernel; ++valid; break;
        case 'n': mask |= Node; ++valid; break;
        case 'r': mask |= Release; ++valid; break;
        case 'v': mask |= Version; ++valid; break;
        case 'm': mask |= Machine; ++valid; break;
        case 'p': mask |= Processor; ++valid; break;
        case 'i': mask |= Platform; ++valid; break;
        case 'o': mask |= Os; ++valid; break;
        default: break;
        }
    }
    HandlerReply r;
    if (valid != format.size()) {
        QCborMap err;
        err.insert(QStringLiteral("group"), int(Group::Os));
        err.insert(QStringLiteral("rc"), int(OsMgmtErr::InvalidFormat));
        r.body.insert(QStringLiteral("err"), err);
        r.groupError = int(OsMgmtErr::InvalidFormat);
        r.errorGroup = std::uint16_t(Group::Os);
        return r;
    }
    if (mask == 0)
        mask = Kernel;
    const OsInfoStrings& os = m_config.os;
    const std::pair<unsigned, QString> parts[] = {
        {Kernel, QStringLiteral("Zephyr")}, {Node, os.nodeName},       {Release, os.kernelRelease},
        {Version, os.kernelVersion},         {Machine, os.machine},     {Processor, os.processor},
        {Platform, os.hardwarePlatform},     {Os, QStringLiteral("Zephyr")},
    };
    QStringList output;
    for (const auto& [bit, text] : parts)
        if (mask & bit)
            output.append(text);
    r.body.insert(QStringLiteral("output"), output.join(QLatin1Char(' ')));
    return r;
}

HandlerReply SmpServer::bootloaderInfo(QByteArrayView payload)
{
    BulkField fields[] = {{"query", CborKind::Text}};
    if (!decodeBulk(payload, fields))
        return mgmtError(MgmtErr::Inval);
    HandlerReply r;
    if (!fields[0].found) {
        r.body.insert(QStringLiteral("bootloader"), QStringLiteral("MCUboot"));
    } else if (fields[0].value.toString() == QLatin1String("mode")) {
        r.body.insert(QStringLiteral("mode"), bootloaderMode(m_board.config().strategy));
    } else {
        // Zephyr returns the OS group code as an SMP code here.
        r.mgmtRc = int(OsMgmtErr::QueryYieldsNoAnswer);
    }
    return r;
}

} // namespace otalab::core::smp
