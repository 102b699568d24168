using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace CrmPlugins.Emulator
{
    /// <summary>The undo log of one database transaction: every write can be reverted in reverse order.</summary>
    internal sealed class StoreTransaction
    {
        private readonly List<Action> _undo = new();

        public void Record(Action undo) => _undo.Add(undo);

        public void Rollback()
        {
            for (var i = _undo.Count - 1; i >= 0; i--) _undo[i]();
            _undo.Clear();
        }
    }
}
