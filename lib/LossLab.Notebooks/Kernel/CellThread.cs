using System.Collections.Concurrent;

namespace LossLab.Notebooks.Kernel;

/// <summary>
/// The one thread a kernel runs its cells on, as a Jupyter kernel has one execution thread. libtorch keeps per-thread
/// state (the OpenMP thread count a thread first used torch with, grad mode): on a pool thread each cell could meet
/// another state. Continuations of awaits inside a cell come back to this thread through its synchronization context.
/// </summary>
sealed class CellThread
{
    readonly BlockingCollection<Action> queue = [];

    public CellThread(string name)
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the cell thread, with the caller's execution context.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = ExecutionContext.Capture();
        queue.Add(() =>
        {
            if (context is null) Start(work, done);
            else ExecutionContext.Run(context, _ => Start(work, done), null);
        });
        return done.Task;
    }

    static async void Start<T>(Func<Task<T>> work, TaskCompletionSource<T> done)
    {
        try { done.SetResult(await work()); }
        catch (Exception e) { done.SetException(e); }
    }

    void Loop()
    {
        SynchronizationContext.SetSynchronizationContext(new Context(this));
        foreach (var action in queue.GetConsumingEnumerable()) action();
    }

    sealed class Context(CellThread owner) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => owner.queue.Add(() => d(state));

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (SynchronizationContext.Current == this) { d(state); return; }
            using var finished = new ManualResetEventSlim();
            owner.queue.Add(() => { try { d(state); } finally { finished.Set(); } });
            finished.Wait();
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}
