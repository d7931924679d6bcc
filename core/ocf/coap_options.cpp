// SPDX-License-Identifier: Apache-2.0
// CoapMessage option helpers (RFC 7252 §3.2 uint values, Uri-Path/Uri-Query) and the
// block options of RFC 7959 §2.2.
#include "core/ocf/coap_message.h"

#include <algorithm>

namespace otalab::core::ocf {

// --- BlockOption ---------------------------------------------------------------------

Result<std::uint8_t> BlockOption::szxForSize(std::uint32_t size)
{
    for (std::uint8_t szx = 0; szx <= 6; ++szx)
        if ((16u << szx) == size)
            return szx;
    return fail(Error::at(-1, QStringLiteral("block.size"),
                          QStringLiteral("block size %1: expected 16, 32, 64, 128, 256, 512 or 1024").arg(size)));
}

Result<BlockOption> BlockOption::fromValue(std::uint32_t value)
{
    if (value > 0xffffff)
        return fail(Error::at(-1, QStringLiteral("block.num"),
                              QStringLiteral("block value 0x%1: expected at most 3 bytes (NUM < 2^20)")
                                  .arg(value, 0, 16)));
    BlockOption block;
    block.szx = std::uint8_t(value & 0x7);
    if (block.szx == 7)
        return fail(Error::at(-1, QStringLiteral("block.szx"),
                              QStringLiteral("SZX 7 is reserved: expected 0..6 (16..1024 bytes)")));
    block.more = (value & 0x8) != 0;
    block.num = value >> 4;
    return block;
}

// --- CoapMessage options -------------------------------------------------------------

std::vector<QByteArray> CoapMessage::optionValues(std::uint16_t number) const
{
    std::vector<QByteArray> values;
    for (const CoapOption& o : options)
        if (o.number == number)
            values.push_back(o.value);
    return values;
}

const CoapOption* CoapMessage::option(std::uint16_t number) const
{
    for (const CoapOption& o : options)
        if (o.number == number)
            return &o;
    return nullptr;
}

void CoapMessage::removeOption(std::uint16_t number)
{
    std::erase_if(options, [number](const CoapOption& o) { return o.number == number; });
}

void CoapMessage::addOption(std::uint16_t number, QByteArray value)
{
    const auto at = std::upper_bound(options.begin(), options.end(), number,
                                     [](std::uint16_t n, const CoapOption& o) { return n < o.number; });
    options.insert(at, CoapOption{number, std::move(value)});
}

std::optional<std::uint32_t> CoapMessage::uintOption(std::uint16_t number) const
{
    const CoapOption* o = option(number);
    if (o == nullptr || o->value.size() > 4)
        return std::nullopt;
    std::uint32_t value = 0;
    for (char c : o->value)
        value = (value << 8) | std::uint8_t(c);
    return value;
}

void CoapMessage::setUintOption(std::uint16_t number, std::uint32_t value)
{
    removeOption(number);
    QByteArray bytes;
    for (int shift = 24; shift >= 0; shift -= 8)
        if (!bytes.isEmpty() || ((value >> shift) & 0xff) != 0)
            bytes.append(char((value >> shift) & 0xff));
    addOption(number, std::move(bytes));
}

QString CoapMessage::uriPath() const
{
    QStringList segments;
    for (const CoapOption& o : options)
        if (o.number == coap_option::UriPath)
            segments.append(QString::fromUtf8(o.value));
    return segments.join(QLatin1Char('/'));
}

void CoapMessage::setUriPath(QStringView path)
{
    removeOption(coap_option::UriPath);
    for (QStringView segment : path.split(QLatin1Char('/'), Qt::SkipEmptyParts))
        addOption(coap_option::UriPath, segment.toUtf8());
}

QStringList CoapMessage::uriQueries() const
{
    QStringList queries;
    for (const CoapOption& o : options)
        if (o.number == coap_option::UriQuery)
            queries.append(QString::fromUtf8(o.value));
    return queries;
}

void CoapMessage::addUriQuery(QStringView query) { addOption(coap_option::UriQuery, query.toUtf8()); }

std::optional<std::uint16_t> CoapMessage::contentFormat() const
{
    const auto value = uintOption(coap_option::ContentFormat);
    if (!value || *value > 0xffff)
        return std::nullopt;
    return std::uint16_t(*value);
}

namespace {
std::optional<Result<BlockOption>> blockOption(const CoapMessage& message, std::uint16_t number, const char* name)
{
    const CoapOption* o = message.option(number);
    if (o == nullptr)
        return std::nullopt;
    if (o->value.size() > 3)
        return Result<BlockOption>(fail(Error::at(-1, QLatin1String(name),
                                                  QStringLiteral("%1-byte value: expected 0..3 bytes")
                                                      .arg(o->value.size()))));
    auto block = BlockOption::fromValue(*message.uintOption(number));
    if (!block) {
        block.error().field = QLatin1String(name) + QLatin1Char('.') + block.error().field.section(QLatin1Char('.'), 1);
        return Result<BlockOption>(fail(block.error()));
    }
    return Result<BlockOption>(*block);
}
} // namespace

std::optional<Result<BlockOption>> CoapMessage::block1() const
{
    return blockOption(*this, coap_option::Block1, "Block1");
}

std::optional<Result<BlockOption>> CoapMessage::block2() const
{
    return blockOption(*this, coap_option::Block2, "Block2");
}

} // namespace otalab::core::ocf
