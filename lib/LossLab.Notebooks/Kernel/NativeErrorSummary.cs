using System.Text.RegularExpressions;

namespace LossLab.Notebooks.Kernel;

/// <summary>
/// Shortens a libtorch error (TorchSharp's <c>ExternalException</c>, whose message carries c10's whole native stack) to
/// what a reader needs: the first line of the message, the operator called (the TorchSharp entry point and the ATen
/// op) and where libtorch raised it. The native frames are dropped; the managed stack trace is kept.
/// </summary>
static partial class NativeErrorSummary
{
    [GeneratedRegex(@"^Exception raised from (?<fn>\S+) at (?<at>\S+?)(?: \(most recent call first\))?:?$")]
    private static partial Regex RaisedFrom();

    [GeneratedRegex(@"^frame #\d+: (?<sym>[^\s(]+)")]
    private static partial Regex Frame();

    [GeneratedRegex(@"^(?:at::_ops::)(?<op>[A-Za-z0-9_]+)::call\b")]
    private static partial Regex AtenOp();

    /// <summary>True when <paramref name="message"/> is a libtorch error with a native stack.</summary>
    public static bool IsNative(string message) =>
        message.Contains("Exception raised from ", StringComparison.Ordinal) || message.Contains("\nframe #0: ", StringComparison.Ordinal);

    /// <summary>One line: "message (op: add [add_Tensor]; raised from infer_size_impl at ATen/ExpandUtils.cpp:31)".</summary>
    public static string Summarize(string message)
    {
        var lines = message.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        string first = lines.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "libtorch error";
        string? raisedIn = null, raisedAt = null, entry = null, aten = null;
        foreach (var line in lines)
        {
            var t = line.Trim();
            if (RaisedFrom().Match(t) is { Success: true } r)
            {
                raisedIn = r.Groups["fn"].Value;
                raisedAt = ShortPath(r.Groups["at"].Value);
            }
            else if (Frame().Match(t) is { Success: true } f)
            {
                var sym = f.Groups["sym"].Value;
                if (aten is null && AtenOp().Match(t["frame #".Length..].Split(':', 2)[1].Trim()) is { Success: true } a) aten = a.Groups["op"].Value;
                if (entry is null && (sym.StartsWith("THSTensor_", StringComparison.Ordinal) || sym.StartsWith("THSNN_", StringComparison.Ordinal)
                    || sym.StartsWith("THSTorch_", StringComparison.Ordinal) || sym.StartsWith("THSAutograd_", StringComparison.Ordinal)))
                    entry = sym[(sym.IndexOf('_') + 1)..];
            }
        }
        var parts = new List<string>();
        if (entry is not null || aten is not null)
            parts.Add("op: " + (entry ?? aten) + (entry is not null && aten is not null && aten != entry ? $" [{aten}]" : ""));
        if (raisedIn is not null) parts.Add($"raised from {raisedIn} at {raisedAt}");
        return parts.Count == 0 ? first : $"{first} ({string.Join("; ", parts)})";
    }

    /// <summary>The lines of an exception's text without libtorch's native frames and "Exception raised from" line.</summary>
    public static IEnumerable<string> WithoutNativeFrames(IEnumerable<string> lines) =>
        lines.Where(l => !Frame().IsMatch(l.Trim()) && !RaisedFrom().IsMatch(l.Trim()));

    static string ShortPath(string path)
    {
        int i = path.IndexOf("/aten/src/", StringComparison.Ordinal);
        if (i >= 0) return path[(i + "/aten/src/".Length)..];
        i = path.IndexOf("/c10/", StringComparison.Ordinal);
        return i >= 0 ? path[(i + 1)..] : path;
    }
}
