using System.Reflection;
using LossLab.Experiments;
using LossLab.Interactive;
using LossLab.Notebooks.Formatting;
using LossLab.Training;

namespace LossLab.Notebooks.Tests.Execution;

/// <summary>
/// What LossLab does for the .NET Interactive kernel, checked without the kernel: the claims table it registers there is
/// the engine's table byte for byte, the FSharp.Core substitution rule on hand-picked versions, and the native-folder
/// rules on hand-written paths. (The whole path, in the kernel itself, is <see cref="RealKernelParityTests"/>.)
/// </summary>
public class KernelHostSupportTests
{
    [Fact]
    public void The_kernels_claims_table_is_the_engines_table()
    {
        var claims = new Claims("default");
        claims.Paired("paired-gap", "Cao et al. 2019", "LDAM beats CE <on> the tail & head", [0.61, 0.64, 0.66, 0.70], [0.55, 0.60, 0.58, 0.63],
            "balanced accuracy gap", Expect.Above(0).In(" pts", 100));
        claims.OneSample("one-sample", "Papyan et al. 2020", "NC1 falls", [-0.8, -1.2, -0.5], "log NC1 change", Expect.Below(0));
        claims.Agreement("agreement", "Hoffmann et al. 2022", "α matches", 0.34, 0.339, 0.05);
        claims.Agreement("nan-agreement", "Hoffmann et al. 2022", "β matches", double.NaN, 0.28, 0.05, relative: false);
        claims.NotRun("not-run", "Wortsman et al. 2023", "needs \"paper\" scale", "a drop", "CIFAR is not shipped");
        claims.Paired("one-seed", "x", "one seed only", [1.0], [0.5], "gap", Expect.Above(0));

        Assert.Equal(ClaimsFormatter.ToHtml(claims), KernelFormatters.ClaimsHtml(claims));
        Assert.Contains("<tr id=\"claim-paired-gap\" data-verdict=\"", KernelFormatters.ClaimsHtml(claims));
        Assert.Contains("&lt;on&gt; the tail &amp; head", KernelFormatters.ClaimsHtml(claims));
    }

    [Theory]
    [InlineData("FSharp.Core, Version=10.1.0.0", "FSharp.Core, Version=10.0.0.0", true)]    // Plotly.NET 6 in the 1.0.712001 kernel
    [InlineData("FSharp.Core, Version=10.9.0.0", "FSharp.Core, Version=10.1.0.0", true)]
    [InlineData("FSharp.Core, Version=10.0.0.0", "FSharp.Core, Version=10.1.0.0", false)]   // the runtime binds that itself
    [InlineData("FSharp.Core, Version=10.1.0.0", "FSharp.Core, Version=10.1.0.0", false)]
    [InlineData("FSharp.Core, Version=11.0.0.0", "FSharp.Core, Version=10.0.0.0", false)]   // another major version
    [InlineData("FSharp.Core, Version=10.1.0.0", "FSharp.Core, Version=9.0.0.0", false)]
    [InlineData("Deedle, Version=8.1.0.0", "Deedle, Version=8.0.0.0", false)]               // only FSharp.Core
    [InlineData("FSharp.Core", "FSharp.Core, Version=10.0.0.0", false)]                       // no version asked
    public void FSharpCore_is_substituted_only_by_an_older_minor_of_the_same_major(string requested, string available, bool expected) =>
        Assert.Equal(expected, FSharpCoreBinding.CanSubstitute(new AssemblyName(requested), new AssemblyName(available)));

    [Theory]
    [InlineData("/w/bin/runtimes/linux-x64/native", "/usr/lib:/w/bin/runtimes/linux-x64/native/", true)]
    [InlineData("/w/bin/runtimes/linux-x64/native/", "/w/bin/runtimes/linux-x64/native", true)]
    [InlineData("/w/bin/runtimes/linux-x64/native", "/w/bin/:/w/bin/runtimes/linux-x64", false)]
    [InlineData("/w/bin/runtimes/linux-x64/native", "", false)]
    [InlineData("/w/bin/runtimes/linux-x64/native", null, false)]
    public void The_host_provides_the_natives_only_when_it_searches_their_folder(string directory, string? searchDirectories, bool expected) =>
        Assert.Equal(expected, NativeLoading.HostSearches(directory, searchDirectories));

    [SkippableFact]
    public void The_native_folder_is_the_rid_folder_under_runtimes_and_a_host_with_a_deps_json_loads_it_itself()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "LossLab ships Linux x64 natives only.");
        Assert.Equal(Path.Combine("/w/bin", "runtimes", "linux-x64", "native"), NativeLoading.NativeDirectory("/w/bin"));
        // The test host runs from this project's deps.json, which names runtimes/linux-x64/native: nothing is preloaded.
        _ = new Claims("smoke");
        Assert.Equal("host provides the natives", NativeLoading.Status);
        Assert.False(KernelFormatters.Registered);
    }
}
