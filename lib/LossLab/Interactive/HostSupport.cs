using System.Runtime.CompilerServices;
using LossLab.Training;

namespace LossLab.Interactive;

/// <summary>
/// What LossLab does when it is first used in a process, so that the same notebooks run in LossLab's engine, in VS Code
/// and in Jupyter with the .NET Interactive kernel: installs <see cref="FSharpCoreBinding"/>, preloads the patched
/// TorchSharp native from LossLab's build output where the host did not bring it (<see cref="NativeLoading"/>), and,
/// inside the kernel, registers the chart and claims formatters (<see cref="KernelFormatters"/>). In LossLab's own engine
/// and in applications and tests with a deps.json only the FSharp.Core handler is installed, and it acts only on a
/// failed load. Never throws: a failure here would make every LossLab type unusable.
/// </summary>
public static class HostSupport
{
    /// <summary>Runs when the LossLab assembly is first used, before any of its code.</summary>
#pragma warning disable CA2255 // the hook must run before TorchSharp or Plotly.NET are touched through LossLab
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        try { FSharpCoreBinding.Install(); }
        catch (InvalidOperationException) { }
        NativeLoading.PreloadTorchSharpNative();
        try { KernelFormatters.TryRegister(); }
        catch (System.Reflection.TargetInvocationException) { }
        catch (TypeLoadException) { }
        catch (FileNotFoundException) { }
        catch (FileLoadException) { }
    }
}
