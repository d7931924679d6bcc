// SPDX-License-Identifier: Apache-2.0
// "updatetime" / "lastupdate": RFC 3339 §5.6 date-time, plus IoTivity-Lite's special values
// "now" and "none" (api/oc_swupdate.c, swupdate_decode_update_time). Civil-date arithmetic
// is proleptic Gregorian (days_from_civil), so no QDateTime / time-zone database is needed.
#include "core/ocf/swupdate_resource.h"

namespace otalab::core::ocf {

namespace {

constexpr qint64 kMsPerDay = 86'400'000;

qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

void civilFromDays(qint64 z, qint64& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = qint64(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

unsigned daysInMonth(qint64 year, unsigned month)
{
    static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// A cursor over the text that reads fixed-width digit fields with precise errors.
class Cursor {
public:
    explicit Cursor(QStringView text) : m_text(text) {}
    qsizetype pos() const { return m_pos; }
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text[m_pos]; }

    Result<int> digits(int count, const char* field, int min, int max)
    {
        int value = 0;
        for (int i = 0; i < count; ++i) {
            if (atEnd() || !m_text[m_pos].isDigit() || m_text[m_pos].unicode() > '9')
                return error(QStringLiteral("expected %1 digit(s) for the %2").arg(count).arg(QLatin1String(field)));
            value = value * 10 + (m_text[m_pos].unicode() - '0');
            ++m_pos;
        }
        if (value < min || value > max) {
            m_pos -= count;
            return error(QStringLiteral("%1 %2 out of range %3..%4").arg(QLatin1String(field)).arg(value).arg(min).arg(max));
        }
        return value;
    }
    Result<void> expect(char16_t c, char16_t alt, const char* what)
    {
        if (atEnd() || (m_text[m_pos] != QChar(c) && m_text[m_pos] != QChar(alt)))
            return error(QStringLiteral("expected %1").arg(QLatin1String(what)));
        ++m_pos;
        return {};
    }
    std::unexpected<Error> error(QString message) const
    {
        return fail(Error::at(m_pos, QStringLiteral("updatetime"),
                              message + QStringLiteral(" at character %1 of \"%2\" (RFC 3339: "
                                                       "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM), \"now\" or \"none\")")
                                            .arg(m_pos)
                                            .arg(m_text.left(40).toString())));
    }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
};

} // namespace

Result<UpdateTime> UpdateTime::parse(QStringView text)
{
    if (text == u"now")
        return UpdateTime{Kind::Now, 0};
    if (text == u"none")
        return UpdateTime{Kind::None, 0};
    if (text.size() > 64)
        return fail(Error::at(64, QStringLiteral("updatetime"),
                              QStringLiteral("%1 characters: an RFC 3339 date-time is at most 64").arg(text.size())));
    Cursor c(text);
    auto year = c.digits(4, "year", 0, 9999);
    if (!year) return fail(year.error());
    if (auto r = c.expect(u'-', u'-', "'-' after the year"); !r) return fail(r.error());
    auto month = c.digits(2, "month", 1, 12);
    if (!month) return fail(month.error());
    if (auto r = c.expect(u'-', u'-', "'-' after the month"); !r) return fail(r.error());
    auto day = c.digits(2, "day", 1, 31);
    if (!day) return fail(day.error());
    if (unsigned(*day) > daysInMonth(*year, unsigned(*month))) {
        return fail(Error::at(8, QStringLiteral("updatetime"),
                              QStringLiteral("day %1 does not exist in %2-%3").arg(*day).arg(*year).arg(*month, 2, 10, QChar(u'0'))));
    }
    if (auto r = c.expect(u'T', u't', "'T' between date and time"); !r) return fail(r.error());
    auto hour = c.digits(2, "hour", 0, 23);
    if (!hour) return fail(hour.error());
    if (auto r = c.expect(u':', u':', "':' after the hour"); !r) return fail(r.error());
    auto minute = c.digits(2, "minute", 0, 59);
    if (!minute) return fail(minute.error());
    if (auto r = c.expect(u':', u':', "':' after the minute"); !r) return fail(r.error());
    auto second = c.digits(2, "second", 0, 60);   // 60: a leap second (RFC 3339 §5.7)
    if (!second) return fail(second.error());
    int ms = 0;
    if (c.peek() == u'.') {
        if (auto r = c.expect(u'.', u'.', "'.'"); !r) return fail(r.error());
        int count = 0;
        while (!c.atEnd() && c.peek().unicode() >= '0' && c.peek().unicode() <= '9') {
            auto digit = c.digits(1, "fraction", 0, 9);
            if (count < 3)
                ms = ms * 10 + *digit;
            ++count;
        }
        if (count == 0)
            return c.error(QStringLiteral("expected at least one digit after '.'"));
        for (int i = count; i < 3; ++i)
            ms *= 10;
    }
    qint64 offsetMinutes = 0;
    if (c.peek() == u'Z' || c.peek() == u'z') {
        (void)c.expect(u'Z', u'z', "Z");
    } else if (c.peek() == u'+' || c.peek() == u'-') {
        const int sign = c.peek() == u'-' ? -1 : 1;
        (void)c.expect(u'+', u'-', "a sign");
        auto oh = c.digits(2, "offset hour", 0, 23);
        if (!oh) return fail(oh.error());
        if (auto r = c.expect(u':', u':', "':' in the offset"); !r) return fail(r.error());
        auto om = c.digits(2, "offset minute", 0, 59);
        if (!om) return fail(om.error());
        offsetMinutes = sign * (*oh * 60 + *om);
    } else {
        return c.error(QStringLiteral("expected 'Z' or an offset ±HH:MM"));
    }
    if (!c.atEnd())
        return c.error(QStringLiteral("unexpected trailing characters"));
    const qint64 days = daysFromCivil(*year, unsigned(*month), unsigned(*day));
    const qint64 msOfDay = ((qint64(*hour) * 60 + *minute) * 60 + *second) * 1000 + ms;
    return UpdateTime{Kind::At, days * kMsPerDay + msOfDay - offsetMinutes * 60'000};
}

QString UpdateTime::toString() const
{
    switch (kind) {
    case Kind::None: return QStringLiteral("none");
    case Kind::Now: return QStringLiteral("now");
    case Kind::At: break;
    }
    return rfc3339(atMsUtc);
}

QString rfc3339(qint64 msUtc)
{
    qint64 days = msUtc / kMsPerDay;
    qint64 rest = msUtc % kMsPerDay;
    if (rest < 0) {
        rest += kMsPerDay;
        --days;
    }
    qint64 y = 0;
    unsigned m = 0, d = 0;
    civilFromDays(days, y, m, d);
    const qint64 secs = rest / 1000;
    QString text = QStringLiteral("%1-%2-%3T%4:%5:%6")
                       .arg(y, 4, 10, QChar(u'0'))
                       .arg(m, 2, 10, QChar(u'0'))
                       .arg(d, 2, 10, QChar(u'0'))
                       .arg(secs / 3600, 2, 10, QChar(u'0'))
                       .arg(secs / 60 % 60, 2, 10, QChar(u'0'))
                       .arg(secs % 60, 2, 10, QChar(u'0'));
    if (rest % 1000 != 0)
        text += QStringLiteral(".%1").arg(rest % 1000, 3, 10, QChar(u'0'));
    return text + QLatin1Char('Z');
}

} // namespace otalab::core::ocf
