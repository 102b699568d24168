using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Spectre.Console;

namespace DealRisk.Cli
{
    /// <summary>
    /// Progress with an estimate of the time left, on stderr so stdout stays the command's answer: a live bar
    /// (Spectre.Console) on a terminal, plain lines every few seconds when stderr is a file or a pipe, or under CI (a
    /// redrawn bar in a log is a mess of escape codes).
    /// </summary>
    public abstract class Progress : IDisposable
    {
        /// <summary>One step of the work, of a known size.</summary>
        public interface IPhase
        {
            /// <summary>How much of the step is done (not how much more).</summary>
            void Report(long done);
        }

        /// <summary>A live bar when stderr is a terminal and CI is not set, else plain lines written to <paramref name="error"/>.</summary>
        public static Progress Start(TextWriter error) =>
            !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && Environment.GetEnvironmentVariable("TERM") != "dumb"
                ? new Bar()
                : new Lines(error, TimeSpan.FromSeconds(5));

        /// <summary>Plain lines written to <paramref name="writer"/>, at most one per <paramref name="every"/> and phase, and one when a phase ends.</summary>
        public static Progress Plain(TextWriter writer, TimeSpan every) => new Lines(writer, every);

        public abstract IPhase Phase(string name, long total);

        public abstract void Dispose();

        /// <summary>"1:05" or "1:02:05".</summary>
        internal static string Duration(TimeSpan t) =>
            t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

        private sealed class Lines : Progress
        {
            private readonly TextWriter _writer;
            private readonly TimeSpan _every;

            public Lines(TextWriter writer, TimeSpan every)
            {
                _writer = writer;
                _every = every;
            }

            public override IPhase Phase(string name, long total) => new LinePhase(this, name, total);

            public override void Dispose() => _writer.Flush();

            private sealed class LinePhase : IPhase
            {
                private readonly Lines _owner;
                private readonly string _name;
                private readonly long _total;
                private readonly Stopwatch _clock = Stopwatch.StartNew();
                private TimeSpan _last;

                public LinePhase(Lines owner, string name, long total)
                {
                    _owner = owner;
                    _name = name;
                    _total = total;
                }

                public void Report(long done)
                {
                    var elapsed = _clock.Elapsed;
                    var finished = done >= _total;
                    if (!finished && elapsed - _last < _owner._every) return;
                    _last = elapsed;
                    var line = $"{_name}: {done:N0} of {_total:N0} ({(_total == 0 ? 100 : 100 * done / _total)}%), {Duration(elapsed)} elapsed";
                    if (finished) line += ", done";
                    else if (done > 0) line += $", about {Duration(TimeSpan.FromTicks((long)(elapsed.Ticks * ((double)(_total - done) / done))))} left";
                    _owner._writer.WriteLine(line);
                }
            }
        }

        private sealed class Bar : Progress
        {
            private readonly ManualResetEventSlim _ready = new(), _done = new();
            private readonly Thread _thread;
            private ProgressContext? _context;

            public Bar()
            {
                // The raw stream: the Console.Error writer the tool installs strips escape sequences, which the bar is made of.
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StreamWriter(Console.OpenStandardError()) { AutoFlush = true }) });
                _thread = new Thread(() => console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        _context = context;
                        _ready.Set();
                        _done.Wait();
                        context.Refresh();
                    })) { IsBackground = true };
                _thread.Start();
                _ready.Wait();
            }

            public override IPhase Phase(string name, long total) => new BarPhase(_context!.AddTask(name, maxValue: Math.Max(1, total)));

            public override void Dispose()
            {
                _done.Set();
                _thread.Join();
            }

            private sealed class BarPhase : IPhase
            {
                private readonly ProgressTask _task;

                public BarPhase(ProgressTask task) => _task = task;

                public void Report(long done) => _task.Value = done;
            }
        }
    }
}
