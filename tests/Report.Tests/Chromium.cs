using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace CrmPlugins.Report.Tests;

/// <summary>
/// A headless Chromium driven over the Chrome DevTools Protocol with the BCL only: one page, commands and events over
/// a WebSocket. Every wait takes a cancellation token (the caller's time limit); disposing kills the whole process
/// tree and removes the temporary profile.
/// </summary>
internal sealed partial class Chromium : IAsyncDisposable
{
    public const string DefaultBinary = "/usr/bin/chromium";

    private readonly Process process;
    private readonly string profile;
    private readonly StringBuilder stderr;
    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    private readonly List<(string Method, JsonElement Params)> events = [];
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private TaskCompletionSource eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? receiving;
    private int lastId;

    private Chromium(Process process, string profile, StringBuilder stderr)
    {
        this.process = process;
        this.profile = profile;
        this.stderr = stderr;
    }

    /// <summary>The browser binary: $CHROMIUM_BIN, else /usr/bin/chromium; null when neither exists.</summary>
    /// <summary>The Chromium binary; without it the test is ignored locally and fails on CI (CI=true), which installs it.</summary>
    public static string Require()
    {
        var binary = FindBinary();
        if (binary is not null)
            return binary;
        const string install = "apt-get install -y chromium";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            NUnit.Framework.Assert.Fail($"chromium is not installed ({DefaultBinary} missing), and CI must run the browser tests: {install}");
        NUnit.Framework.Assert.Ignore($"chromium not installed: {install}");
        return null!;
    }

    /// <summary>Opens a local file with the Runtime, Log and Page domains enabled and waits for its load event.</summary>
    public async Task LoadAsync(string path, TimeSpan limit, CancellationToken cancel)
    {
        await SendAsync("Runtime.enable", null, cancel);
        await SendAsync("Log.enable", null, cancel);
        await SendAsync("Page.enable", null, cancel);
        var navigation = await SendAsync("Page.navigate", new { url = new Uri(path).AbsoluteUri }, cancel);
        if (navigation.TryGetProperty("errorText", out var error))
            NUnit.Framework.Assert.Fail($"navigation failed: {error}");
        try
        {
            await WaitForEventAsync("Page.loadEventFired", cancel);
        }
        catch (OperationCanceledException)
        {
            NUnit.Framework.Assert.Fail($"the page did not load within {limit.TotalSeconds} s; browser stderr:\n{Stderr}");
        }
    }

    public static string? FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_BIN");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
            return configured;
        return File.Exists(DefaultBinary) ? DefaultBinary : null;
    }

    /// <summary>Starts the browser on about:blank and attaches to its page.</summary>
    public static async Task<Chromium> StartAsync(string binary, CancellationToken cancel)
    {
        var profile = Directory.CreateTempSubdirectory("report-chromium-").FullName;
        var start = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                     "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank" })
            start.ArgumentList.Add(arg);

        var stderr = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (stderr)
                stderr.AppendLine(e.Data);
            var match = DevToolsLine().Match(e.Data);
            if (match.Success)
                listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("chromium exited before DevTools listened:\n" + Text(stderr)));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var browser = new Chromium(process, profile, stderr);
        try
        {
            var browserUrl = await listening.Task.WaitAsync(cancel);
            var pageUrl = await PageTargetAsync(browserUrl.Port, cancel);
            await browser.socket.ConnectAsync(pageUrl, cancel);
            browser.receiving = Task.Run(() => browser.ReceiveAsync(CancellationToken.None), CancellationToken.None);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the browser wrote on stderr so far (for failure messages).</summary>
    public string Stderr => Text(stderr);

    /// <summary>Sends a command and returns its result; a protocol error throws.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters, CancellationToken cancel)
    {
        var id = Interlocked.Increment(ref lastId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = reply;
        var message = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?> { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } });
        await sendLock.WaitAsync(cancel);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancel);
        }
        finally
        {
            sendLock.Release();
        }
        return await reply.Task.WaitAsync(cancel);
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (returned by value, as JSON).</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancel)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true }, cancel);
        if (result.TryGetProperty("exceptionDetails", out var exception))
            throw new InvalidOperationException($"evaluating `{expression}` threw: {exception}");
        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v : value;
    }

    /// <summary>Waits until an event of this method has arrived (one that arrived earlier counts) and returns its params.</summary>
    public async Task<JsonElement> WaitForEventAsync(string method, CancellationToken cancel)
    {
        while (true)
        {
            Task next;
            lock (events)
            {
                foreach (var e in events)
                    if (e.Method == method)
                        return e.Params;
                next = eventArrived.Task;
            }
            await next.WaitAsync(cancel);
        }
    }

    /// <summary>Every event received so far.</summary>
    public IReadOnlyList<(string Method, JsonElement Params)> Events
    {
        get
        {
            lock (events)
                return events.ToList();
        }
    }

    /// <summary>
    /// The page's errors so far: uncaught exceptions, console.error calls and log entries of level "error"
    /// (CSP violations, failed loads).
    /// </summary>
    public IReadOnlyList<string> Errors() =>
        Events.Select(e => e.Method switch
        {
            "Runtime.exceptionThrown" => "exception: " + e.Params.GetProperty("exceptionDetails"),
            "Runtime.consoleAPICalled" when e.Params.GetProperty("type").GetString() == "error" => "console.error: " + e.Params.GetProperty("args"),
            "Log.entryAdded" when e.Params.GetProperty("entry").GetProperty("level").GetString() == "error" => "log: " + e.Params.GetProperty("entry"),
            _ => null,
        }).OfType<string>().ToList();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, quick.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // the browser is about to be killed anyway
        }
        socket.Dispose();
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
        if (receiving is not null)
            await Task.WhenAny(receiving, Task.Delay(2_000));
        sendLock.Dispose();
        for (var attempt = 0; attempt < 5 && Directory.Exists(profile); attempt++)
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(200);
            }
            catch (UnauthorizedAccessException)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>The WebSocket of the browser's page target, from http://127.0.0.1:port/json/list (asked until it is there).</summary>
    private static async Task<Uri> PageTargetAsync(int port, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            var json = await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", cancel);
            using var targets = JsonDocument.Parse(json);
            foreach (var target in targets.RootElement.EnumerateArray())
                if (target.GetProperty("type").GetString() == "page" && target.TryGetProperty("webSocketDebuggerUrl", out var url))
                    return new Uri(url.GetString()!);
            await Task.Delay(100, cancel);
        }
    }

    /// <summary>Reads messages until the socket closes: replies complete their command, events are kept.</summary>
    private async Task ReceiveAsync(CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var read = await socket.ReceiveAsync(buffer, cancel);
                if (read.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, read.Count);
                if (!read.EndOfMessage)
                    continue;
                using (var doc = JsonDocument.Parse(message.ToArray()))
                    Dispatch(doc.RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the browser went away; pending commands fail below
        }
        foreach (var reply in pending.Values)
            reply.TrySetException(new InvalidOperationException("the DevTools connection closed"));
    }

    private void Dispatch(JsonElement root)
    {
        if (root.TryGetProperty("id", out var id))
        {
            if (pending.TryRemove(id.GetInt32(), out var reply))
            {
                if (root.TryGetProperty("error", out var error))
                    reply.TrySetException(new InvalidOperationException("DevTools error: " + error));
                else
                    reply.TrySetResult(root.GetProperty("result"));
            }
            return;
        }
        if (!root.TryGetProperty("method", out var method))
            return;
        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        TaskCompletionSource arrived;
        lock (events)
        {
            events.Add((method.GetString()!, parameters));
            arrived = eventArrived;
            eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.TrySetResult();
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
            return builder.ToString();
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
