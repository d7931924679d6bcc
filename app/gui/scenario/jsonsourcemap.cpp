// SPDX-License-Identifier: Apache-2.0
#include "scenario/jsonsourcemap.h"

#include <algorithm>

namespace otalab::app {

// Recursive-descent scanner over the text; depth is bounded so hostile input cannot
// exhaust the stack (the loader rejects such documents anyway).
class JsonScanner {
public:
    JsonScanner(const QString& text, JsonSourceMap& map) : m_text(text), m_map(map) {}

    void run()
    {
        skipSpace();
        if (!value(QStringLiteral("$"), -1, 0))
            return;
        skipSpace();
        if (m_pos != m_text.size()) {
            fail();
            return;
        }
        m_map.m_complete = true;
        m_map.m_errorPosition = -1;
    }

private:
    static constexpr int kMaxDepth = 256;

    bool fail()
    {
        m_map.m_complete = false;
        m_map.m_errorPosition = int(m_pos);
        return false;
    }
    QChar peek() const { return m_pos < m_text.size() ? m_text[m_pos] : QChar(); }
    void skipSpace()
    {
        while (m_pos < m_text.size()) {
            const QChar c = m_text[m_pos];
            if (c != u' ' && c != u'\t' && c != u'\n' && c != u'\r')
                break;
            ++m_pos;
        }
    }
    bool string(QString* out)
    {
        if (peek() != u'"')
            return fail();
        ++m_pos;
        while (m_pos < m_text.size()) {
            const QChar c = m_text[m_pos++];
            if (c == u'"')
                return true;
            if (c == u'\\') {
                if (m_pos >= m_text.size())
                    break;
                const QChar e = m_text[m_pos++];
                if (out) {
                    switch (e.unicode()) {
                    case u'n': out->append(u'\n'); break;
                    case u't': out->append(u'\t'); break;
                    case u'r': out->append(u'\r'); break;
                    case u'b': out->append(u'\b'); break;
                    case u'f': out->append(u'\f'); break;
                    case u'u':
                        if (m_pos + 4 <= m_text.size()) {
                            bool ok = false;
                            const ushort code = m_text.mid(m_pos, 4).toUShort(&ok, 16);
                            if (ok)
                                out->append(QChar(code));
                            m_pos += 4;
                        }
                        break;
                    default: out->append(e); break;
                    }
                }
                continue;
            }
            if (c.unicode() < 0x20)
                return fail();
            if (out)
                out->append(c);
        }
        return fail();
    }
    bool literal()
    {
        const qsizetype start = m_pos;
        while (m_pos < m_text.size()) {
            const QChar c = m_text[m_pos];
            if (!(c.isLetterOrNumber() || c == u'-' || c == u'+' || c == u'.'))
                break;
            ++m_pos;
        }
        return m_pos > start ? true : fail();
    }
    bool value(const QString& path, int keyStart, int depth)
    {
        if (depth > kMaxDepth)
            return fail();
        const int start = int(m_pos);
        const QChar c = peek();
        bool ok = false;
        if (c == u'{')
            ok = object(path, depth);
        else if (c == u'[')
            ok = array(path, depth);
        else if (c == u'"')
            ok = string(nullptr);
        else
            ok = literal();
        if (!ok) {
            // Still record where the broken value starts, so errors inside it map here.
            m_map.m_spans.insert(path, JsonSpan{keyStart, start, int(m_pos)});
            return false;
        }
        m_map.m_spans.insert(path, JsonSpan{keyStart, start, int(m_pos)});
        return true;
    }
    bool object(const QString& path, int depth)
    {
        ++m_pos;  // {
        skipSpace();
        if (peek() == u'}') {
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            const int keyStart = int(m_pos);
            QString key;
            if (!string(&key))
                return false;
            skipSpace();
            if (peek() != u':')
                return fail();
            ++m_pos;
            skipSpace();
            if (!value(path + QLatin1Char('.') + key, keyStart, depth + 1))
                return false;
            skipSpace();
            if (peek() == u',') {
                ++m_pos;
                continue;
            }
            if (peek() == u'}') {
                ++m_pos;
                return true;
            }
            return fail();
        }
    }
    bool array(const QString& path, int depth)
    {
        ++m_pos;  // [
        skipSpace();
        if (peek() == u']') {
            ++m_pos;
            return true;
        }
        for (int i = 0;; ++i) {
            skipSpace();
            if (!value(QStringLiteral("%1[%2]").arg(path).arg(i), -1, depth + 1))
                return false;
            skipSpace();
            if (peek() == u',') {
                ++m_pos;
                continue;
            }
            if (peek() == u']') {
                ++m_pos;
                return true;
            }
            return fail();
        }
    }

    const QString& m_text;
    JsonSourceMap& m_map;
    qsizetype m_pos = 0;
};

JsonSourceMap JsonSourceMap::build(const QString& text)
{
    JsonSourceMap map;
    JsonScanner(text, map).run();
    return map;
}

std::optional<JsonSpan> JsonSourceMap::find(const QString& path) const
{
    const auto it = m_spans.constFind(path);
    if (it == m_spans.constEnd())
        return std::nullopt;
    return *it;
}

std::optional<JsonSpan> JsonSourceMap::locate(const QString& path) const
{
    for (QString p = path; !p.isEmpty(); p = parentPath(p))
        if (const auto span = find(p))
            return span;
    return std::nullopt;
}

QString JsonSourceMap::parentPath(const QString& path)
{
    if (path.endsWith(u']')) {
        const qsizetype open = path.lastIndexOf(u'[');
        return open > 0 ? path.left(open) : QString();
    }
    const qsizetype dot = path.lastIndexOf(u'.');
    return dot > 0 ? path.left(dot) : QString();
}

int utf8OffsetToIndex(const QString& text, qint64 byteOffset)
{
    if (byteOffset <= 0)
        return 0;
    const QByteArray utf8 = text.toUtf8();
    if (byteOffset >= utf8.size())
        return int(text.size());
    return int(QString::fromUtf8(utf8.left(byteOffset)).size());
}

TextPosition textPositionOf(const QString& text, int position)
{
    TextPosition p;
    const int end = std::clamp(position, 0, int(text.size()));
    int lineStart = 0;
    for (int i = 0; i < end; ++i) {
        if (text[i] == u'\n') {
            ++p.line;
            lineStart = i + 1;
        }
    }
    p.column = end - lineStart + 1;
    return p;
}

} // namespace otalab::app
