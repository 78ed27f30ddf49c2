using System.Reflection;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Execution;

/// <summary>What a run records about itself in <c>metadata.losslab</c>: scale, device, the native runtime, and the LossLab
/// version and commit it was built from, so a reader of the executed notebook (or its site page) knows what produced it.</summary>
public static class RunProvenance
{
    static readonly Lazy<string> DeviceName = new(() =>
    {
        try { return LossLab.Training.Devices.Choose().ToString(); }
        catch (Exception e) when (e is ArgumentException or TypeInitializationException or DllNotFoundException)
        { return "unavailable (" + e.Message + ")"; }
    });

    /// <summary>The LossLab version and the commit it was built from ("unknown" when the build did not record one).</summary>
    public static (string Version, string Commit) Build()
    {
        var info = typeof(LossLab.Experiments.Claims).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        int plus = info.IndexOf('+');
        var version = plus < 0 ? (info.Length > 0 ? info : "unknown") : info[..plus];
        var commit = plus < 0 ? "unknown" : info[(plus + 1)..];
        if (commit.Length > 12) commit = commit[..12];
        return (version, commit);
    }

    /// <summary>The native numerics of this process (CPU model, ATen ISA, thread counts, CPU mode, oneDNN), which
    /// decide whether two runs can give the same bits; see <see cref="LossLab.Training.TorchRuntime"/>.</summary>
    internal static JsonObject Runtime()
    {
        var o = new JsonObject();
        try
        {
            foreach (var (key, value) in LossLab.Training.TorchRuntime.Describe()) o[key] = value;
        }
        catch (Exception e) when (e is ArgumentException or TypeInitializationException or DllNotFoundException)
        {
            o["error"] = e.Message;
        }
        return o;
    }

    /// <summary>The <c>metadata.losslab</c> object of a run at <paramref name="scale"/>.</summary>
    public static JsonObject Describe(string? scale)
    {
        var (version, commit) = Build();
        return new JsonObject
        {
            ["commit"] = commit,
            ["device"] = DeviceName.Value,
            ["runtime"] = Runtime(),
            ["scale"] = scale,
            ["version"] = version,
        };
    }
}
