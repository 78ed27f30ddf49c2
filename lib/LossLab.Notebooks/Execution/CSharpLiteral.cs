using System.Collections;
using System.Globalization;
using System.Text;

namespace LossLab.Notebooks.Execution;

/// <summary>
/// Parameter values as C# source, as papermill's <c>CSharpTranslator</c> writes them (<c>true</c>, <c>10</c>,
/// <c>3000000000L</c>, <c>0.1</c>, <c>"text"</c>) but typed: arrays are <c>new double[] { … }</c>. Strings are escaped so that
/// no value can end the literal: quotes, backslashes, control characters and every character C# treats as a line break.
/// </summary>
public static class CSharpLiteral
{
    /// <summary>The literal for <paramref name="value"/> of <paramref name="type"/>.</summary>
    public static string Format(object value, ParameterType type)
    {
        if (!type.IsArray) return Scalar(value, type.Kind);
        var items = ((IEnumerable)value).Cast<object>().Select(v => Scalar(v, type.Kind));
        var list = string.Join(", ", items);
        return list.Length == 0 ? $"new {type.CSharpName} {{ }}" : $"new {type.CSharpName} {{ {list} }}";
    }

    /// <summary>A typed declaration: <c>int Epochs = 5;</c>.</summary>
    public static string Declaration(string name, object value, ParameterType type) =>
        $"{type.CSharpName} {name} = {Format(value, type)};";

    static string Scalar(object value, ParameterKind kind) => kind switch
    {
        ParameterKind.Bool => (bool)value ? "true" : "false",
        ParameterKind.Int => ((int)value).ToString(CultureInfo.InvariantCulture),
        ParameterKind.Long => ((long)value).ToString(CultureInfo.InvariantCulture) + "L",
        ParameterKind.Double => Double((double)value),
        _ => String((string)value),
    };

    /// <summary>A double literal that round-trips (always with a '.' or exponent; NaN and infinities by name).</summary>
    public static string Double(double d)
    {
        if (double.IsNaN(d)) return "double.NaN";
        if (double.IsPositiveInfinity(d)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(d)) return "double.NegativeInfinity";
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }

    /// <summary>A regular C# string literal for <paramref name="s"/>.</summary>
    public static string String(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    bool pair = char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
                    if (pair) { sb.Append(c).Append(s[++i]); }
                    else if (c < 0x20 || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029' || char.IsSurrogate(c)
                             || char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format)
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
