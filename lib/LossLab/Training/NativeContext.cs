using System.Runtime.InteropServices;
using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// The few libtorch and C-library entry points TorchSharp does not expose, reached through the already loaded
/// libraries: <c>at::Context::setUserEnabledMkldnn</c>, <c>at::get_cpu_capability</c> and the C library's
/// <c>setenv</c> and <c>mallopt</c>. The libraries are found by their sonames, so the copy of libtorch TorchSharp loaded is the one
/// changed, never a second copy.
/// </summary>
static class NativeContext
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate IntPtr GlobalContextFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate void SetFlagFn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] [return: MarshalAs(UnmanagedType.U1)] delegate bool GetFlagFn(IntPtr context);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate void StringResultFn(IntPtr result);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int MalloptFn(int parameter, int value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int SetEnvFn([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    const string GlobalContext = "_ZN2at13globalContextEv";
    const string SetUserEnabledMkldnn = "_ZN2at7Context20setUserEnabledMkldnnEb";
    const string UserEnabledMkldnn = "_ZNK2at7Context17userEnabledMkldnnEv";
    const string GetCpuCapability = "_ZN2at18get_cpu_capabilityB5cxx11Ev";

    /// <summary>Turns oneDNN off for the ops that would use it (convolutions); returns "off" or why it could not.</summary>
    internal static string DisableOneDnn() => SetOneDnn(false);

    /// <summary>Turns oneDNN on or off; returns the resulting state ("on", "off") or why it could not be changed.
    /// Turning it on is for benchmarks only: see <see cref="TorchRuntime"/> for what it computes wrong.</summary>
    internal static string SetOneDnn(bool enabled)
    {
        if (!OperatingSystem.IsLinux()) return "on (the switch is only reached on Linux)";
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out var lib)) return "on (libtorch_cpu.so is not loaded)";
        if (!NativeLibrary.TryGetExport(lib, GlobalContext, out var ctxFn)
            || !NativeLibrary.TryGetExport(lib, SetUserEnabledMkldnn, out var setFn)
            || !NativeLibrary.TryGetExport(lib, UserEnabledMkldnn, out var getFn))
            return "on (this libtorch does not export at::Context::setUserEnabledMkldnn)";
        var context = Marshal.GetDelegateForFunctionPointer<GlobalContextFn>(ctxFn)();
        Marshal.GetDelegateForFunctionPointer<SetFlagFn>(setFn)(context, enabled);
        bool now = Marshal.GetDelegateForFunctionPointer<GetFlagFn>(getFn)(context);
        return now == enabled ? (now ? "on" : "off") : (now ? "on (the switch did not take)" : "off (the switch did not take)");
    }

    /// <summary>The ISA ATen's vectorised kernels dispatch to ("AVX512", "AVX2", "DEFAULT"), or "unknown".</summary>
    internal static string CpuCapability()
    {
        torch.InitializeDeviceType(DeviceType.CPU);
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libtorch_cpu.so", out var lib)
            || !NativeLibrary.TryGetExport(lib, GetCpuCapability, out var fn)) return "unknown";
        // std::string (libstdc++, C++11 ABI) is returned through a caller-provided 32-byte slot: {char* data; size_t
        // length; char local[16]}. Capability names fit the local buffer, so nothing is left on the native heap.
        var slot = Marshal.AllocHGlobal(32);
        try
        {
            Marshal.GetDelegateForFunctionPointer<StringResultFn>(fn)(slot);
            var data = Marshal.ReadIntPtr(slot);
            long length = Marshal.ReadInt64(slot, 8);
            return length is > 0 and < 64 ? Marshal.PtrToStringUTF8(data, (int)length) : "unknown";
        }
        finally
        {
            Marshal.FreeHGlobal(slot);
        }
    }

    /// <summary>Sets a variable in the C library's environment (where libtorch and MKL read it); true on success.</summary>
    internal static bool SetNativeEnvironment(string name, string value)
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "setenv", out var fn)) return false;
        return Marshal.GetDelegateForFunctionPointer<SetEnvFn>(fn)(name, value, 0) == 0;
    }

    /// <summary>Sets a glibc <c>malloc</c> parameter (<c>mallopt</c>); true on success, false where there is no glibc or
    /// glibc refused the value.</summary>
    internal static bool SetMallocOption(int parameter, int value)
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)
            || !NativeLibrary.TryGetExport(libc, "mallopt", out var fn)) return false;
        return Marshal.GetDelegateForFunctionPointer<MalloptFn>(fn)(parameter, value) == 1;
    }
}
