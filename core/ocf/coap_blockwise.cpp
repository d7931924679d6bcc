// SPDX-License-Identifier: Apache-2.0
// RFC 7959 block-wise GET, both ends; see coap_blockwise.h for the contract.
#include "core/ocf/coap_blockwise.h"

#include <algorithm>
#include <cmath>

namespace otalab::core::ocf {

std::uint32_t CoapTransmission::initialTimeoutMs(double jitter) const
{
    const double j = std::clamp(std::isfinite(jitter) ? jitter : 0.0, 0.0, 1.0);
    return std::uint32_t(double(ackTimeoutMs) * (1.0 + j * (ackRandomFactor - 1.0)));
}

std::uint8_t serveBlock2(const CoapMessage& request, QByteArrayView body, CoapMessage& response,
                         std::uint8_t preferredSzx, QByteArrayView etag, std::optional<std::uint16_t> format)
{
    preferredSzx = std::min<std::uint8_t>(preferredSzx, 6);
    BlockOption block{0, false, preferredSzx};
    if (const auto asked = request.block2()) {
        if (!*asked) {   // SZX 7 or a > 3-byte value: RFC 7959 §2.2 "4.00 Bad Request"-class misuse
            response.code = coap_code::BadOption;
            return response.code;
        }
        // §2.4: a smaller size is honoured; a larger one gets the server's, NUM rescaled so the
        // block starts at the offset asked for.
        const std::uint64_t offset = (*asked)->offset();
        block.szx = std::min((*asked)->szx, preferredSzx);
        block.num = std::uint32_t(offset / block.size());
    }
    const auto bodySize = std::uint64_t(body.size());
    const std::uint64_t offset = block.offset();
    if (offset > bodySize || (offset == bodySize && offset != 0)) {
        response.code = coap_code::BadOption;
        response.payload.clear();
        return response.code;
    }
    const std::uint64_t length = std::min<std::uint64_t>(block.size(), bodySize - offset);
    block.more = offset + length < bodySize;
    response.code = coap_code::Content;
    response.payload = body.sliced(qsizetype(offset), qsizetype(length)).toByteArray();
    if (format)
        response.setContentFormat(*format);
    response.removeOption(coap_option::ETag);
    if (!etag.isEmpty())
        response.addOption(coap_option::ETag, etag.toByteArray());
    response.setBlock2(block);
    response.removeOption(coap_option::Size2);
    if (block.num == 0)
        response.setUintOption(coap_option::Size2, std::uint32_t(std::min<std::uint64_t>(bodySize, 0xffffffffu)));
    return response.code;
}

BlockwiseGet::BlockwiseGet(Config config)
    : m_config(std::move(config))
    , m_etag(m_config.knownEtag)
    , m_szx(std::min<std::uint8_t>(m_config.szx, 6))
{
}

namespace {
BlockwiseGet::Failed failed(QString reason, std::uint8_t code = 0, bool timedOut = false)
{
    return BlockwiseGet::Failed{std::move(reason), timedOut, code};
}
} // namespace

BlockwiseGet::Send BlockwiseGet::start(std::uint64_t fromOffset, std::uint16_t messageId, QByteArray token,
                                       double jitter)
{
    m_finished = false;
    m_nextNum = std::uint32_t(fromOffset / blockSize());
    m_received = std::uint64_t(m_nextNum) * blockSize();
    m_outstanding.token = std::move(token);
    return next(messageId, jitter);
}

BlockwiseGet::Send BlockwiseGet::next(std::uint16_t messageId, double jitter)
{
    CoapMessage request = makeRequest(CoapType::Confirmable, coap_code::Get, messageId, m_outstanding.token,
                                      m_config.uriPath);
    for (const QString& query : m_config.uriQueries)
        request.addUriQuery(query);
    request.setBlock2(BlockOption{m_nextNum, false, m_szx});
    m_outstanding = std::move(request);
    m_timeoutMs = m_config.transmission.initialTimeoutMs(jitter);
    m_attempt = 0;
    m_waiting = true;
    ++m_requests;
    return Send{m_outstanding, m_timeoutMs};
}

BlockwiseGet::Step BlockwiseGet::advance(std::uint16_t messageId, double jitter)
{
    if (m_finished)
        return Done{m_received};
    return next(messageId, jitter);
}

BlockwiseGet::Step BlockwiseGet::onTimeout()
{
    if (!m_waiting)
        return failed(QStringLiteral("timer fired with no request outstanding"));
    if (m_attempt >= m_config.transmission.maxRetransmit) {
        m_waiting = false;
        return failed(QStringLiteral("no answer after %1 retransmissions").arg(m_attempt), 0, true);
    }
    ++m_attempt;
    ++m_retransmissions;
    m_timeoutMs *= 2;   // RFC 7252 §4.2: the timeout doubles at each retransmission
    return Send{m_outstanding, m_timeoutMs};
}

std::optional<BlockwiseGet::Step> BlockwiseGet::onResponse(const CoapMessage& response)
{
    if (!m_waiting || m_finished)
        return std::nullopt;
    const bool byMessageId = response.type == CoapType::Acknowledgement || response.type == CoapType::Reset;
    if (byMessageId && response.messageId != m_outstanding.messageId)
        return std::nullopt;
    if (response.type == CoapType::Reset) {
        m_waiting = false;
        return failed(QStringLiteral("reset (RST) by the server"));
    }
    if (response.isEmpty() || response.token != m_outstanding.token)
        return std::nullopt;   // empty ACK: a separate response follows; or another exchange
    m_waiting = false;
    if (response.code != coap_code::Content) {
        QString reason = coapCodeText(response.code);
        if (!response.payload.isEmpty() && coap_code::codeClass(response.code) >= 4)
            reason += QStringLiteral(": ") + QString::fromUtf8(response.payload.left(120));
        return failed(reason, response.code);
    }
    if (const auto size2 = response.uintOption(coap_option::Size2)) {
        if (*size2 > m_config.maxBodyBytes)
            return failed(QStringLiteral("Size2 %1 bytes exceeds the limit of %2 bytes")
                              .arg(*size2)
                              .arg(m_config.maxBodyBytes));
        m_total = *size2;
    }

    const std::uint64_t askedOffset = std::uint64_t(m_nextNum) * blockSize();
    BlockOption block{0, false, m_szx};
    if (const auto got = response.block2()) {
        if (!*got)
            return failed(QStringLiteral("malformed Block2 in the response: %1").arg((*got).error().message));
        block = **got;
    } else if (m_nextNum != 0) {
        return failed(QStringLiteral("asked block %1, the answer has no Block2").arg(m_nextNum));
    }
    if (block.offset() != askedOffset)
        return failed(QStringLiteral("asked block %1 (offset %2), got block %3 (offset %4)")
                          .arg(m_nextNum)
                          .arg(askedOffset)
                          .arg(block.num)
                          .arg(block.offset()));
    if (block.more && std::uint64_t(response.payload.size()) != block.size())
        return failed(QStringLiteral("block %1 of %2 bytes with More set: expected %3 bytes")
                          .arg(block.num)
                          .arg(response.payload.size())
                          .arg(block.size()));

    // RFC 7959 §2.4: a changed ETag means the representation changed: start again at 0.
    const CoapOption* etagOption = response.option(coap_option::ETag);
    if (etagOption != nullptr && etagOption->value != m_etag) {
        const bool restart = !m_etag.isEmpty() && askedOffset != 0;
        m_etag = etagOption->value;
        if (restart) {
            ++m_restarts;
            m_nextNum = 0;
            m_received = 0;
            m_total.reset();
            const std::uint16_t messageId = m_config.nextMessageId ? m_config.nextMessageId()
                                                                   : std::uint16_t(m_outstanding.messageId + 1);
            return next(messageId, 0.0);
        }
    }

    if (block.size() < blockSize())   // §2.4: the server's smaller size is adopted
        m_szx = block.szx;
    m_received = askedOffset + std::uint64_t(response.payload.size());
    if (m_received > m_config.maxBodyBytes)
        return failed(QStringLiteral("body of more than %1 bytes exceeds the limit").arg(m_config.maxBodyBytes));
    if (!block.more) {
        if (m_total && *m_total != m_received)
            return failed(QStringLiteral("body ended at %1 bytes, Size2 said %2").arg(m_received).arg(*m_total));
        m_finished = true;
        if (response.payload.isEmpty())
            return Done{m_received};
    } else {
        m_nextNum = std::uint32_t(m_received / blockSize());
        if (m_nextNum >= (1u << 20))
            return failed(QStringLiteral("body longer than 2^20 blocks of %1 bytes").arg(blockSize()));
    }
    return Block{askedOffset, response.payload, m_total, !block.more};
}

} // namespace otalab::core::ocf
