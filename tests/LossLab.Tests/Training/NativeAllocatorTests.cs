using LossLab.Training;

namespace LossLab.Tests.Training;

public class NativeAllocatorTests
{
    const string Debian = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
    const string Fedora = "/usr/lib64/libjemalloc.so.2";

    static IReadOnlyDictionary<string, string> Choose(Dictionary<string, string> variables, string[] files, bool linux = true) =>
        NativeAllocator.ForNotebookProcess(n => variables.GetValueOrDefault(n), files.Contains, linux);

    static Dictionary<string, string> Env(params (string Name, string Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => p.Value);

    [Fact]
    public void Auto_preloads_the_systems_jemalloc_with_LossLabs_settings_and_leaves_glibcs_arenas_alone()
    {
        var chosen = Choose(Env(), [Debian]);
        Assert.Equal(new Dictionary<string, string> { ["LD_PRELOAD"] = Debian, ["MALLOC_CONF"] = "oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1" }, chosen);
        Assert.Equal(chosen, Choose(Env(("LOSSLAB_MALLOC", " auto ")), [Debian]));   // auto, spaces trimmed, is the default
        Assert.Equal(Fedora, Choose(Env(), [Fedora])["LD_PRELOAD"]);                   // Fedora's and RHEL's folder
        Assert.Equal(Debian, Choose(Env(), [Fedora, Debian])["LD_PRELOAD"]);           // the first folder of the search wins
    }

    [Fact]
    public void Without_jemalloc_or_with_glibc_chosen_the_process_gets_one_glibc_arena_unless_the_user_set_the_arenas()
    {
        var glibc = new Dictionary<string, string> { ["MALLOC_ARENA_MAX"] = "1" };
        Assert.Equal(glibc, Choose(Env(), []));
        Assert.Equal(glibc, Choose(Env(("LOSSLAB_MALLOC", "glibc")), [Debian]));
        Assert.Empty(Choose(Env(("LOSSLAB_MALLOC", "glibc"), ("MALLOC_ARENA_MAX", "4")), [Debian]));
        Assert.Empty(Choose(Env(("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")), []));
    }

    [Fact]
    public void The_users_own_preload_and_settings_are_kept()
    {
        // auto: a preload of the user's own may be an allocator, so nothing is preloaded; glibc's rule applies.
        Assert.Equal(new Dictionary<string, string> { ["MALLOC_ARENA_MAX"] = "1" }, Choose(Env(("LD_PRELOAD", "/opt/libtcmalloc.so")), [Debian]));
        // A library named explicitly goes first, before the user's.
        Assert.Equal("/opt/je/libjemalloc.so.2:/opt/other.so",
            Choose(Env(("LOSSLAB_MALLOC", "/opt/je/libjemalloc.so.2"), ("LD_PRELOAD", "/opt/other.so")), ["/opt/je/libjemalloc.so.2"])["LD_PRELOAD"]);
        // The user's MALLOC_CONF is jemalloc's settings as they chose them.
        Assert.Equal(new Dictionary<string, string> { ["LD_PRELOAD"] = Debian }, Choose(Env(("MALLOC_CONF", "narenas:2")), [Debian]));
    }

    [Fact]
    public void A_bad_choice_is_refused_with_the_variable_and_the_value_named_on_every_platform()
    {
        var name = Assert.Throws<ArgumentException>(() => Choose(Env(("LOSSLAB_MALLOC", "jemalloc")), [Debian]));
        Assert.Contains("LOSSLAB_MALLOC must be 'auto', 'glibc' or the absolute path", name.Message, StringComparison.Ordinal);
        Assert.Contains("got 'jemalloc'", name.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() => Choose(Env(("LOSSLAB_MALLOC", "/nowhere/libjemalloc.so.2")), [Debian], linux: false));
        Assert.Equal("LOSSLAB_MALLOC=/nowhere/libjemalloc.so.2: no such file.", missing.Message);
        Assert.Throws<ArgumentNullException>(() => NativeAllocator.ForNotebookProcess(null!, _ => true, true));
        Assert.Throws<ArgumentNullException>(() => NativeAllocator.ForNotebookProcess(_ => null, null!, true));
    }

    [Fact]
    public void Off_Linux_nothing_is_set()
    {
        Assert.Empty(Choose(Env(), [Debian], linux: false));
        Assert.Empty(Choose(Env(("LOSSLAB_MALLOC", Debian)), [Debian], linux: false));
    }

    [Fact]
    public void A_process_not_running_on_jemalloc_reports_none_of_its_options()
    {
        if ((Environment.GetEnvironmentVariable("LD_PRELOAD") ?? "").Contains("jemalloc", StringComparison.Ordinal)) return;   // the host runs on it
        Assert.Null(NativeAllocator.ActiveJemalloc());
        Assert.Null(NativeAllocator.JemallocOption("version"));
        Assert.Null(NativeAllocator.JemallocOption("opt.dirty_decay_ms"));
        Assert.Throws<ArgumentException>(() => NativeAllocator.JemallocOption(""));
    }
}
