using System.Text;

namespace LossLab.Notebooks.Execution;

/// <summary>Parameter values as parts of file and folder names (<c>--out</c> templates, sweep points' folders).</summary>
public static class PathSegment
{
    /// <summary>A value as one path segment: letters, digits, '.', '-', '_' and '+' kept, anything else (slashes, spaces,
    /// quotes, …) becomes '_'; a value of only dots or nothing becomes '_'.</summary>
    public static string Safe(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var ch in value) sb.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' or '+' ? ch : '_');
        var s = sb.ToString();
        return s.Trim('.').Length == 0 ? "_" : s;
    }
}
