using System.Reflection;
using System.Runtime.Loader;

namespace LossLab.Interactive;

/// <summary>
/// Lets Plotly.NET and Deedle run in a host that already carries an older FSharp.Core of the same major version. The
/// .NET Interactive kernel (tool 1.0.712001, used by VS Code's Polyglot and Jupyter extensions) ships FSharp.Core
/// 10.0.0.0 in its own folder and loads it at start-up for its F# kernel; Plotly.NET 6.0.0 and Deedle 8.1.0 are compiled
/// against FSharp.Core 10.1.0.0. The runtime cannot load a second FSharp.Core into the default context, so their first
/// use fails with <c>FileNotFoundException: FSharp.Core, Version=10.1.0.0</c>. This handler answers such a request with
/// the FSharp.Core the process already has when the major versions agree (the 10.x API these libraries call is the same);
/// it never replaces a successful load, since the runtime raises the event only after its own binding failed.
/// </summary>
public static class FSharpCoreBinding
{
    static int installed;

    [ThreadStatic] static bool resolving;

    /// <summary>Installs the handler once per process (idempotent).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyResolve += OnResolve;
    }

    /// <summary>Whether a request for <paramref name="requested"/> may be answered with <paramref name="available"/>:
    /// both FSharp.Core, same major version, the available one not newer than requested (an older minor only).</summary>
    public static bool CanSubstitute(AssemblyName requested, AssemblyName available)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(available);
        if (!string.Equals(requested.Name, "FSharp.Core", StringComparison.Ordinal)
            || !string.Equals(available.Name, "FSharp.Core", StringComparison.Ordinal)) return false;
        if (requested.Version is not { } want || available.Version is not { } have) return false;
        return want.Major == have.Major && have < want;
    }

    static Assembly? OnResolve(object? sender, ResolveEventArgs args)
    {
        if (resolving) return null;
        AssemblyName requested;
        try { requested = new AssemblyName(args.Name); }
        catch (FileLoadException) { return null; }
        if (requested.Name != "FSharp.Core") return null;
        resolving = true;
        try
        {
            var loaded = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
                         ?? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
                         ?? TryLoadUnversioned();
            return loaded is not null && CanSubstitute(requested, loaded.GetName()) ? loaded : null;
        }
        finally { resolving = false; }
    }

    static Assembly? TryLoadUnversioned()
    {
        try { return AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("FSharp.Core")); }
        catch (FileNotFoundException) { return null; }
        catch (FileLoadException) { return null; }
    }
}
